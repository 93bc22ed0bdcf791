import Foundation

/// Byte-level pieces of the header parser. A mailbox's headers are read millions of times per import and most of
/// their text is ASCII, so the parser works on the UTF-8 bytes and builds a `String` only for a value it returns;
/// these helpers give the same answers the `String` and `Character` operations they replace would.
typealias MailByteBuffer = UnsafeBufferPointer<UInt8>

enum MailBytes {
    /// Whether every byte is ASCII: a loop the optimizer vectorizes, so it costs little before taking a fast path.
    static func isASCII(_ bytes: MailByteBuffer) -> Bool {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        return combined < 0x80
    }

    /// Whether `bytes` are ASCII without a line feed. On such text a `Character` is one byte (CR LF is the only
    /// ASCII pair Unicode joins into one), so code written with `Character`s gives the same answer on bytes.
    static func isSingleByteText(_ bytes: MailByteBuffer) -> Bool {
        var combined: UInt8 = 0
        var hasLineFeed = false
        for byte in bytes {
            combined |= byte
            hasLineFeed = hasLineFeed || byte == 0x0A
        }
        return combined < 0x80 && !hasLineFeed
    }

    /// Whether `bytes` are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, surrogates or scalars past
    /// U+10FFFF), as `Unicode.UTF8`'s decoder judges them, with ASCII runs passed eight bytes at a time.
    static func isValidUTF8(_ bytes: MailByteBuffer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            // The second byte's range, which is narrower after E0, ED, F0 and F4.
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                second = 0x80...0x9F
            case 0xF0:
                length = 4
                second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                second = 0x80...0x8F
            default: return false
            }
            guard index + length <= count, second.contains(bytes[index + 1]) else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    static func string(_ bytes: MailByteBuffer) -> String { String(decoding: bytes, as: UTF8.self) }

    static func string(_ bytes: MailByteBuffer, _ range: Range<Int>) -> String {
        String(decoding: MailByteBuffer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The range of `range` left once leading and trailing scalars for which `isTrimmed` holds are cut: the
    /// `ImportTrimming.trimmed` of valid UTF-8 without building the string.
    static func trimmed(_ bytes: MailByteBuffer, _ range: Range<Int>, where isTrimmed: (Unicode.Scalar) -> Bool)
        -> Range<Int>
    {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper {
            let (scalar, length) = scalar(in: bytes, at: lower, before: upper)
            guard isTrimmed(scalar) else { break }
            lower += length
        }
        while upper > lower {
            var start = upper - 1
            while start > lower, bytes[start] & 0xC0 == 0x80 { start -= 1 }
            guard isTrimmed(scalar(in: bytes, at: start, before: upper).scalar) else { break }
            upper = start
        }
        return lower..<upper
    }

    /// `ImportTrimming.isSpace` without a Unicode property lookup for the scalars below U+1680 (Latin, Greek,
    /// Cyrillic, …), among which only U+00A0 is a space separator.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x1680, scalar.value != 0xA0 { return scalar.value == 0x20 || scalar.value == 0x09 }
        return ImportTrimming.isSpace(scalar)
    }

    /// `ImportTrimming.isSpaceOrNewline` likewise: below U+1680 only U+00A0 and NEL (U+0085) are trimmed beyond ASCII.
    static func isSpaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x1680, scalar.value != 0xA0, scalar.value != 0x85 {
            return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value)
        }
        return ImportTrimming.isSpaceOrNewline(scalar)
    }

    /// `trimmingSpaces()` (space separators and tab) on bytes.
    static func trimmedSpaces(_ bytes: MailByteBuffer, _ range: Range<Int>) -> Range<Int> {
        // ASCII edges (nearly every value) are settled here; a non-ASCII edge goes to the scalar loop.
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        guard lower < upper, bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 else { return lower..<upper }
        return trimmed(bytes, lower..<upper, where: isSpace)
    }

    /// `trimmingSpacesAndNewlines()` on bytes.
    static func trimmedSpacesAndNewlines(_ bytes: MailByteBuffer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || (0x09...0x0D).contains(bytes[lower]) { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || (0x09...0x0D).contains(bytes[upper - 1]) { upper -= 1 }
        guard lower < upper, bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 else { return lower..<upper }
        return trimmed(bytes, lower..<upper, where: isSpaceOrNewline)
    }

    /// The scalar whose UTF-8 starts at `index` and its length in bytes (valid UTF-8 is assumed; a broken sequence
    /// gives U+FFFD and one byte, never a read past `end`).
    private static func scalar(in bytes: MailByteBuffer, at index: Int, before end: Int) -> (
        scalar: Unicode.Scalar, length: Int
    ) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= end else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The index of the first `byte` in `range`, or `nil`.
    static func firstIndex(of byte: UInt8, in bytes: MailByteBuffer, _ range: Range<Int>) -> Int? {
        guard let base = bytes.baseAddress, !range.isEmpty,
            let found = memchr(base + range.lowerBound, Int32(byte), range.count)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// ASCII lowercase of one byte.
    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// Whether `bytes[range]` equals `lowercase` (all lowercase ASCII) ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: MailByteBuffer, _ range: Range<Int>, _ lowercase: [UInt8]) -> Bool {
        guard range.count == lowercase.count else { return false }
        for (offset, expected) in lowercase.enumerated() where lowercased(bytes[range.lowerBound + offset]) != expected
        {
            return false
        }
        return true
    }

    /// `equalsIgnoringCase` against a literal: a `StaticString` lies in the binary, where a `static let` array
    /// would be checked for its lazy initialization at every use (which showed in the profile).
    static func equalsIgnoringCase(_ bytes: MailByteBuffer, _ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for offset in 0..<range.count where lowercased(bytes[range.lowerBound + offset]) != expected[offset] {
            return false
        }
        return true
    }

    /// `Int(text)` of a run of ASCII digits: `nil` when empty, when a byte is not a digit, or on overflow.
    static func decimal(_ bytes: MailByteBuffer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
