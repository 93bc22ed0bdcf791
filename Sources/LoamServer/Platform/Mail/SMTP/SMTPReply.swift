/// One complete server reply: a three-digit code and the text of each of its lines (`250-…` continuations and
/// the final `250 …`).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var isPositiveCompletion: Bool { (200..<300).contains(code) }

    /// The RFC 3463 enhanced status code (`5.1.1`) when the server gives one: safe to log, unlike the text.
    var enhancedCode: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(first)
    }
}

/// One reply line split into code, whether more lines follow, and text.
struct SMTPReplyLine: Sendable, Equatable {
    var code: Int
    var isLast: Bool
    var text: String

    /// `nil` when the line is not `DDD`, `DDD text` or `DDD-text`.
    init?(_ bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0])
        else { return nil }
        code = bytes[0...2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if bytes.count == 3 {
            isLast = true
        } else if bytes[3] == UInt8(ascii: " ") {
            isLast = true
        } else if bytes[3] == UInt8(ascii: "-") {
            isLast = false
        } else {
            return nil
        }
        text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
    }
}
