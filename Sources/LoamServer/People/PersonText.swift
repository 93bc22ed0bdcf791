import Foundation

/// The rules for the text of a person, the same for the user's edits and every import: a name, a company or
/// title, free text.
enum PersonText {
    /// A name the user typed: refused (`PeopleError.invalidName`) when empty, longer than 200 characters or on
    /// several lines, so the form can say why.
    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else {
            throw PeopleError.invalidName
        }
        return name
    }

    /// A name a file brought: never refused, since one odd row must not stop an import; cut to one line of at most
    /// 200 characters, and "Unnamed" when nothing is left.
    static func importedName(_ raw: String) -> String {
        let name = String(raw.trimmingCharacters(in: .whitespacesAndNewlines).filter { !$0.isNewline }.prefix(200))
        return name.isEmpty ? "Unnamed" : name
    }

    /// A company or title: trimmed, at most 200 characters, `nil` when empty.
    static func cleanFact(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(200))
    }

    /// Free text: `nil` when empty.
    static func cleanText(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }
}
