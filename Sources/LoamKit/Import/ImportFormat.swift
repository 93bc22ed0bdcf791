/// The kinds of file `loam import` understands.
public enum ImportFormat: String, Sendable, CaseIterable {
    case mbox, vcard, ics
    case linkedin
    case googleCSV = "google-csv"
    case outlookCSV = "outlook-csv"
    case facebook, x, imessage

    /// The formats a folder or a zip is searched for (the others are single files).
    public var exportKind: ExportKind? {
        switch self {
        case .mbox, .vcard, .ics: nil
        case .linkedin: .linkedin
        case .googleCSV: .googleContacts
        case .outlookCSV: .outlookContacts
        case .facebook: .facebook
        case .x: .x
        case .imessage: .imessage
        }
    }

    /// What `--format` takes, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The format of a file from its first bytes, never its name (exports are often renamed or have none):
    /// mbox starts with "From " (after an optional UTF-8 BOM and blank lines), vCard with "BEGIN:VCARD",
    /// iCalendar with "BEGIN:VCALENDAR" (those two case-insensitive, after a BOM and whitespace), an iMessage
    /// database with SQLite's header; the contact lists by their readers' `looksLike` (a header row, a JSON key,
    /// X's `window.YTD.` prefix). The first 4 KB are plenty; `nil` when none matches (a zip is searched by
    /// `ExportLocator` instead).
    public static func detect(_ prefix: [UInt8]) -> ImportFormat? {
        var index = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < prefix.count, [0x20, 0x09, 0x0D, 0x0A].contains(prefix[index]) { index += 1 }
        let rest = prefix[index...]
        if rest.starts(with: Array("From ".utf8)) { return .mbox }
        func startsCaseInsensitive(_ word: String) -> Bool {
            let word = Array(word.utf8)
            guard rest.count >= word.count else { return false }
            return zip(rest, word).allSatisfy { byte, expected in
                let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                return lower == ((0x41...0x5A).contains(expected) ? expected | 0x20 : expected)
            }
        }
        if startsCaseInsensitive("BEGIN:VCALENDAR") { return .ics }
        if startsCaseInsensitive("BEGIN:VCARD") { return .vcard }
        if prefix.starts(with: Array("SQLite format 3\u{0}".utf8)) { return .imessage }
        if FacebookFriendsReader.looksLike(prefix) { return .facebook }
        if XFollowsReader.looksLike(prefix) { return .x }
        if LinkedInConnectionsReader.looksLike(prefix) { return .linkedin }
        if GoogleContactsCSVReader.looksLike(prefix) { return .googleCSV }
        if OutlookContactsCSVReader.looksLike(prefix) { return .outlookCSV }
        return nil
    }
}

/// Why an import file could not be read at all (as opposed to one bad record inside it, which importers skip).
public enum ImportFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; the text says why.
    case unreadable(String)
    /// The file's first bytes are not those of the expected format (`"mbox"`, `"vcard"`, `"ics"`).
    case notThisFormat(expected: String)
    /// The file ends in the middle of a record that starts on `line`.
    case truncated(line: Int)

    public var description: String {
        switch self {
        case .unreadable(let reason): "The file could not be read: \(reason)"
        case .notThisFormat(let expected): "The file is not in the \(expected) format."
        case .truncated(let line): "The file ends in the middle of the record that starts on line \(line)."
        }
    }
}
