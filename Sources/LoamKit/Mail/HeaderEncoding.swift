import Foundation

/// Header values that survive any mail server: ASCII as it is, anything else as RFC 2047
/// encoded words (`=?utf-8?B?…?=`), folded so no line passes 78 characters.
enum HeaderEncoding {
    /// RFC 2047 allows 75 characters per encoded word; `=?utf-8?B?` and `?=` take 12.
    private static let maxEncodedPayload = 75 - 12

    static func mailbox(_ address: MailAddress) -> String {
        guard let name = address.name, !name.isEmpty else { return "<\(address.address)>" }
        return "\(phrase(name)) <\(address.address)>"
    }

    /// A display name: always set apart from the header's own words, as a quoted string when it is
    /// plain ASCII and as RFC 2047 encoded words otherwise, so a name can never pass for more of the header.
    static func phrase(_ text: String) -> String {
        let clean = text.strippingLineBreaks()
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) {
            return "\""
                + clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return encodedWords(clean, firstLineUsed: 0).joined(separator: "\r\n ")
    }

    /// An unstructured value (a subject): ASCII folded at spaces, anything else encoded.
    static func unstructured(_ text: String, headerNameLength: Int) -> String {
        let clean = text.strippingLineBreaks()
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) {
            return fold(clean, firstLineUsed: headerNameLength)
        }
        return encodedWords(clean, firstLineUsed: headerNameLength).joined(separator: "\r\n ")
    }

    /// Splits on character boundaries so no encoded word carries half a UTF-8 sequence.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            // The first word shares its line with the header name; later ones follow a folding space.
            let limit = min(maxEncodedPayload, 78 - 12 - (words.isEmpty ? firstLineUsed : 1))
            // base64 grows 3 bytes into 4 characters.
            if ((chunk.count + bytes.count + 2) / 3) * 4 > limit, !chunk.isEmpty {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
        }
        return words
    }

    /// Folds long ASCII values at spaces (RFC 5322 §2.2.3); a single word longer than a line stays whole.
    static func fold(_ text: String, firstLineUsed: Int) -> String {
        var lines: [String] = []
        var current = ""
        var used = firstLineUsed
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if used + candidate.count > 78, !current.isEmpty {
                lines.append(current)
                current = String(word)
                used = 1
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }
}
