/// Byte-level stand-ins for the String operations the reader runs on every property, each exactly equal to the
/// String operation it replaces: they take the fast path only for plain ASCII, where a byte is a Character and
/// case mapping is A–Z ↔ a–z, and hand anything else to the String operation itself. (On Linux, `uppercased()`,
/// `split` and Foundation's `contains` and `caseInsensitiveCompare` took a third of the reader's time.)
enum ICalASCII {
    /// `text.uppercased() == upper`, for an upper-cased ASCII `upper`.
    static func uppercased(_ text: String, equals upper: String) -> Bool {
        var text = text
        let fast: Bool? = text.withUTF8 { bytes in
            var upperBytes = upper.utf8.makeIterator()
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                guard let other = upperBytes.next(), uppercased(byte) == other else { return false }
            }
            return upperBytes.next() == nil
        }
        return fast ?? (text.uppercased() == upper)
    }

    /// `text.lowercased()`; the text itself when it is ASCII without capitals (nearly every address).
    static func lowercased(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) }) { return text }
        return text.lowercased()
    }

    static func uppercased(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte - 0x20 : byte }

    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }

    /// Tab and the printable ASCII characters: text in which each byte is one Character (no CR LF pair, no
    /// combining mark) and which `trimmedWhitespace` trims of spaces and tabs only.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte != 0x09 && !(0x20...0x7E).contains(byte) { return false }
        return true
    }

    /// Both ASCII and equal but for the case of letters; nil when either is not ASCII.
    static func equalIgnoringCase(_ left: Substring.UTF8View, _ right: Substring.UTF8View) -> Bool? {
        var equal = left.count == right.count
        if equal {
            for (a, b) in zip(left, right) {
                guard a < 0x80, b < 0x80 else { return nil }
                if lowercased(a) != lowercased(b) { equal = false }
            }
            return equal
        }
        return left.allSatisfy { $0 < 0x80 } && right.allSatisfy { $0 < 0x80 } ? false : nil
    }

    /// ASCII `text` equal to the lower-case ASCII `lower` but for the case of letters.
    static func equalIgnoringCase(_ text: Substring.UTF8View, lower: String) -> Bool {
        text.count == lower.utf8.count && zip(text, lower.utf8).allSatisfy { lowercased($0) == $1 }
    }
}
