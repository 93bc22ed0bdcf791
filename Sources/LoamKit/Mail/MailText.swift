import Foundation

/// Text a user chose (a name, a workspace's name) placed in a mail Loam writes. It is cut to 100
/// characters and set apart in quotes, so whatever it says can never read as a sentence of ours
/// ("URGENT: wire $5000 …" as a greeting); in headers it is cut the same way and encoded by
/// `HeaderEncoding` (a quoted string, or RFC 2047 encoded words).
public enum MailText {
    public static let maximumNameLength = 100

    /// A name for a mail's body: cut, on one line, in typographic quotes.
    public static func name(_ text: String) -> String {
        "\u{201C}" + headerName(text).replacingOccurrences(of: "\u{201D}", with: "'") + "\u{201D}"
    }

    /// A name for a header (a display name, a subject): cut and on one line.
    public static func headerName(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 }).trimmingCharacters(in: .whitespaces)
        guard flat.count > maximumNameLength else { return flat }
        return String(flat.prefix(maximumNameLength - 1)) + "\u{2026}"
    }
}
