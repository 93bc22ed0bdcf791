import Foundation

/// `MailDate.parseCharacters` for ASCII text without a line feed, on its bytes: the same tokens, rules and answers,
/// without a `Substring`, an uppercased `String` or a dictionary lookup by `String` per token (which made dates a
/// seventh of the time of reading a mailbox). On such text each `Character` is one byte, so `isNumber` is 0–9 and
/// uppercasing is ASCII's.
enum MailDateBytes {
    static func parse(_ bytes: MailByteBuffer) -> Date? {
        var fields = MailDate.Fields()
        // A token the `Character` version gives up on (`return nil`) was seen.
        var failed = false
        var tokenCount = 0
        var firstToken = 0..<0
        var commentZone: Int?
        var comment = CommentKey()
        var depth = 0
        var tokenStart: Int?
        // Tokens are read as they end rather than collected: what the loop over collected tokens would do, except
        // that a single token is also tried as ISO 8601 first (see below).
        func flush(at end: Int) {
            if let start = tokenStart, start < end {
                tokenCount += 1
                if tokenCount == 1 { firstToken = start..<end }
                if !failed { failed = !read(bytes, start..<end, into: &fields) }
            }
            tokenStart = nil
        }
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte == 0x28 {
                if depth == 0 { flush(at: index) }
                depth += 1
            } else if byte == 0x29, depth > 0 {
                depth -= 1
                if depth == 0 {
                    commentZone = commentZone ?? comment.zone
                    comment = CommentKey()
                }
            } else if depth > 0 {
                comment.append(byte)
            } else if byte == 0x20 || byte == 0x09 || byte == 0x2C {
                flush(at: index)
            } else if tokenStart == nil {
                tokenStart = index
            }
        }
        if depth == 0 { flush(at: bytes.count) }

        if tokenCount == 1, let iso = MailDate.iso8601(Substring(MailBytes.string(bytes, firstToken))) { return iso }
        guard !failed else { return nil }
        return fields.date(commentZone: commentZone)
    }

    /// Reads one token into `fields`; `false` for a token that makes the text no date.
    private static func read(_ bytes: MailByteBuffer, _ token: Range<Int>, into fields: inout MailDate.Fields) -> Bool {
        if fields.time == nil, MailBytes.firstIndex(of: 0x3A, in: bytes, token) != nil {
            // A zone glued to the time: 10:00:00+0100
            var clockPart = token
            var glued: Range<Int>?
            if let sign = token.first(where: { bytes[$0] == 0x2B || bytes[$0] == 0x2D }) {
                glued = sign..<token.upperBound
                clockPart = token.lowerBound..<sign
            }
            guard let parsed = clock(bytes, clockPart) else { return false }
            fields.time = parsed
            if let glued { fields.zone = offset(bytes, glued) }
            return true
        }
        let first = bytes[token.lowerBound]
        if first == 0x2B || first == 0x2D {
            if fields.zone == nil { fields.zone = offset(bytes, token) }
            return true
        }
        if token.allSatisfy({ bytes[$0] &- 0x30 < 10 }) {
            guard let number = MailBytes.decimal(bytes, token) else { return false }
            fields.take(number, digits: token.count)
            return true
        }
        if fields.month == nil, let month = monthIndex(bytes, token) {
            fields.month = month
        } else if MailBytes.equalsIgnoringCase(bytes, token, "am") || MailBytes.equalsIgnoringCase(bytes, token, "pm") {
            fields.pm = MailBytes.equalsIgnoringCase(bytes, token, "pm")
        } else if let named = zoneKey(bytes, token).flatMap({ namedZones[$0] }) {
            fields.namedZone = fields.namedZone ?? named
        } else if let gmt = gmtOffset(bytes, token) {
            // GMT+0100, UTC-5
            fields.zone = fields.zone ?? gmt
        }
        // Day names and other words are ignored.
        return true
    }

    /// `10:00`, `10:00:00`, `10:00:00.123`: hour and minute all digits, the seconds' leading digits.
    private static func clock(_ bytes: MailByteBuffer, _ token: Range<Int>) -> (hour: Int, minute: Int, second: Int)? {
        guard let firstColon = MailBytes.firstIndex(of: 0x3A, in: bytes, token) else { return nil }
        let afterFirst = (firstColon + 1)..<token.upperBound
        let secondColon = MailBytes.firstIndex(of: 0x3A, in: bytes, afterFirst)
        if let secondColon, MailBytes.firstIndex(of: 0x3A, in: bytes, (secondColon + 1)..<token.upperBound) != nil {
            return nil
        }
        guard let hour = MailBytes.decimal(bytes, token.lowerBound..<firstColon),
            let minute = MailBytes.decimal(bytes, firstColon + 1..<(secondColon ?? token.upperBound))
        else { return nil }
        var second = 0
        if let secondColon {
            // Fractions of a second: 10:00:00.123
            var end = secondColon + 1
            while end < token.upperBound, bytes[end] &- 0x30 < 10 { end += 1 }
            guard let whole = MailBytes.decimal(bytes, (secondColon + 1)..<end) else { return nil }
            second = whole
        }
        return (hour, minute, second)
    }

    /// +0100, -0800, +01:00, +1 (hours); seconds east of UTC, `nil` when absurd. `token` starts with its sign.
    private static func offset(_ bytes: MailByteBuffer, _ token: Range<Int>) -> Int? {
        var value = 0
        var digits = 0
        for index in token.dropFirst() where bytes[index] &- 0x30 < 10 {
            digits += 1
            guard digits <= 4 else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        guard digits > 0 else { return nil }
        let (hours, minutes) = digits <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        return (bytes[token.lowerBound] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static let gmtPrefixes = ["gmt", "utc", "ut"].map { Array($0.utf8) }

    private static func gmtOffset(_ bytes: MailByteBuffer, _ token: Range<Int>) -> Int? {
        for prefix in gmtPrefixes
        where token.count >= prefix.count
            && MailBytes.equalsIgnoringCase(bytes, token.lowerBound..<(token.lowerBound + prefix.count), prefix)
        {
            let rest = (token.lowerBound + prefix.count)..<token.upperBound
            if let first = rest.first, bytes[first] == 0x2B || bytes[first] == 0x2D { return offset(bytes, rest) }
        }
        return nil
    }

    /// Month names by their first three letters, uppercased and packed as in `zoneKey`.
    private static let months: [UInt64: Int] = {
        let names = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { (pack(Array($1.utf8)), $0 + 1) })
    }()

    private static func monthIndex(_ bytes: MailByteBuffer, _ token: Range<Int>) -> Int? {
        guard token.count >= 3, let key = zoneKey(bytes, token.lowerBound..<(token.lowerBound + 3)) else { return nil }
        return months[key]
    }

    /// `MailDate.namedZones` by packed key.
    private static let namedZones: [UInt64: Int] = Dictionary(
        uniqueKeysWithValues: MailDate.namedZones.map { (pack(Array($0.key.utf8)), $0.value) })

    /// Up to seven bytes, uppercased, and their count in one integer: a dictionary key without a `String`.
    private static func pack(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64(uppercased($1)) } << 8 | UInt64(bytes.count)
    }

    private static func zoneKey(_ bytes: MailByteBuffer, _ token: Range<Int>) -> UInt64? {
        guard token.count <= 7 else { return nil }
        return token.reduce(0) { $0 << 8 | UInt64(uppercased(bytes[$1])) } << 8 | UInt64(token.count)
    }

    @inline(__always) private static func uppercased(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }

    /// A comment's text as a zone key, trimmed of spaces and tabs as it is read (a comment such as `(CET)` names the
    /// zone when nothing else does). Text that can be no zone (longer than seven bytes, or with a space inside)
    /// gives no key.
    private struct CommentKey {
        private var key: UInt64 = 0
        private var count = 0
        private var pendingSpace = false
        private var impossible = false

        mutating func append(_ byte: UInt8) {
            if byte == 0x20 || byte == 0x09 {
                if count > 0 { pendingSpace = true }
                return
            }
            if pendingSpace { impossible = true }
            count += 1
            if count > 7 { impossible = true }
            key = key << 8 | UInt64(uppercased(byte))
        }

        var zone: Int? {
            guard !impossible else { return nil }
            return MailDateBytes.namedZones[key << 8 | UInt64(count)]
        }
    }
}
