/// Puts percent-escapes in a URL path segment into one spelling (RFC 3986 §6.2.2), so that escaped and
/// unescaped forms of the same path compare equal: escapes of unreserved ASCII characters and of
/// UTF-8 text are decoded ("%7E" → "~", "j%C3%BCrgen" → "jürgen"); escapes of reserved characters stay
/// escaped, with upper-case hex, because decoding "%2F" or "%3F" would change what the path means.
enum PercentEscapes {
    /// `nil` when the segment holds a "%" that does not start an escape.
    static func normalize(_ segment: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = segment.utf8[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let high = Hex.value(ofDigit: utf8[utf8.startIndex]),
                let low = Hex.value(ofDigit: utf8[utf8.index(after: utf8.startIndex)])
            else { return nil }
            utf8 = utf8.dropFirst(2)
            let decoded = high << 4 | low
            if decoded >= 0x80 || isUnreserved(decoded) {
                bytes.append(decoded)
            } else {
                bytes.append(contentsOf: escape(decoded))
            }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Escaped bytes that are not UTF-8 text: keep every non-ASCII byte escaped.
        return String(decoding: bytes.flatMap { $0 >= 0x80 ? escape($0) : [$0] }, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func escape(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }
}
