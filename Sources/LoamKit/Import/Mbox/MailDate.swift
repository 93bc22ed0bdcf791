import Foundation

/// RFC 5322 dates with the malformations real mail has: no day name, two-digit years, named zones (GMT, UTC, EST,
/// PDT, CET …), no seconds, trailing comments like `(CET)`, single-digit days, asctime order (`Mon Jan  1 00:00:00
/// 2024`) and ISO 8601. Computed by hand rather than with a DateFormatter: no locale, and fast for millions.
enum MailDate {
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ bytes: MailByteBuffer) -> Date? {
        // Nearly every Date header is ASCII, read on bytes (`MailDateBytes`); other text is read with `Character`s,
        // whose digits, case mapping and combining marks are Unicode's.
        guard MailBytes.isSingleByteText(bytes) else { return parseCharacters(MailBytes.string(bytes)) }
        return MailDateBytes.parse(bytes)
    }

    static func parseCharacters(_ text: String) -> Date? {
        // Tokens are slices of `text` found on its UTF-8 (every delimiter is ASCII): no string is built.
        var tokens: [Substring] = []
        var commentZone: Int?
        var depth = 0
        var comment: [UInt8] = []
        var tokenStart: String.Index?
        let utf8 = text.utf8
        var index = utf8.startIndex
        func flush(at end: String.Index) {
            if let start = tokenStart, start < end { tokens.append(text[start..<end]) }
            tokenStart = nil
        }
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x28 {
                if depth == 0 { flush(at: index) }
                depth += 1
            } else if byte == 0x29, depth > 0 {
                depth -= 1
                if depth == 0 {
                    commentZone =
                        commentZone
                        ?? namedZones[String(decoding: comment, as: UTF8.self).trimmingSpaces().uppercased()]
                    comment = []
                }
            } else if depth > 0 {
                comment.append(byte)
            } else if byte == 0x20 || byte == 0x09 || byte == 0x2C {
                flush(at: index)
            } else if tokenStart == nil {
                tokenStart = index
            }
            utf8.formIndex(after: &index)
        }
        if depth == 0 { flush(at: utf8.endIndex) }

        if tokens.count == 1, let iso = iso8601(tokens[0]) { return iso }

        var fields = Fields()
        for var token in tokens {
            if fields.time == nil, token.utf8.contains(0x3A) {
                // A zone glued to the time: 10:00:00+0100
                var glued: Substring?
                if let sign = token.firstIndex(where: { $0 == "+" || $0 == "-" }) {
                    glued = token[sign...]
                    token = token[..<sign]
                }
                guard let parsed = clock(token) else { return nil }
                fields.time = parsed
                if let glued { fields.zone = offset(glued) }
                continue
            }
            if let first = token.first, first == "+" || first == "-" {
                if fields.zone == nil { fields.zone = offset(token) }
                continue
            }
            if token.allSatisfy(\.isNumber) {
                guard let number = Int(token) else { return nil }
                fields.take(number, digits: token.count)
                continue
            }
            let upper = token.uppercased()
            if fields.month == nil, let index = monthIndex(upper) {
                fields.month = index
            } else if upper == "AM" || upper == "PM" {
                fields.pm = upper == "PM"
            } else if let named = namedZones[upper] {
                fields.namedZone = fields.namedZone ?? named
            } else if let gmt = gmtOffset(upper) {
                // GMT+0100, UTC-5
                fields.zone = fields.zone ?? gmt
            }
            // Day names and other words are ignored.
        }
        return fields.date(commentZone: commentZone)
    }

    /// What a date's tokens have named so far; both ways of reading tokens (`parseCharacters`, `MailDateBytes`) fill
    /// one in.
    struct Fields {
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        /// A numeric offset (+0100, GMT+1), which wins over a zone name, which wins over a comment's.
        var zone: Int?
        var namedZone: Int?
        var pm: Bool?

        /// A number token: the day when it could be one (up to two digits, before the year unless the month came
        /// first), else the year (two digits are 1950–2049, three are years since 1900).
        mutating func take(_ number: Int, digits: Int) {
            if day == nil, digits <= 2, year == nil || month != nil {
                day = number
            } else if year == nil {
                year =
                    digits <= 2 ? (number < 50 ? 2000 + number : 1900 + number) : digits == 3 ? 1900 + number : number
            }
        }

        /// The instant the fields name, `nil` when one is missing or out of range (a 31 February, a 25 o'clock).
        func date(commentZone: Int?) -> Date? {
            guard let day, let month, let year, (1...31).contains(day), (1...9999).contains(year) else { return nil }
            var (hour, minute, second) = time ?? (0, 0, 0)
            if let pm {
                guard (1...12).contains(hour) else { return nil }
                hour = hour % 12 + (pm ? 12 : 0)
            }
            guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
            guard day <= MailDate.daysInMonth(month, year: year) else { return nil }
            let offsetSeconds = zone ?? namedZone ?? commentZone ?? 0
            let days = MailDate.daysFromCivil(year: year, month: month, day: day)
            let seconds =
                Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetSeconds)
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
    }

    private static func clock(_ token: Substring) -> (hour: Int, minute: Int, second: Int)? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        var second = 0
        if parts.count == 3 {
            // Fractions of a second: 10:00:00.123
            guard let whole = Int(parts[2].prefix { $0.isNumber }), !parts[2].isEmpty else { return nil }
            second = whole
        }
        return (hour, minute, second)
    }

    /// +0100, -0800, +01:00, +1 (hours); seconds east of UTC, `nil` when absurd.
    private static func offset(_ token: Substring) -> Int? {
        guard let sign = token.first else { return nil }
        let digits = token.dropFirst().filter(\.isNumber)
        guard !digits.isEmpty, digits.count <= 4, let value = Int(digits) else { return nil }
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static func gmtOffset(_ upper: String) -> Int? {
        for prefix in ["GMT", "UTC", "UT"] where upper.hasPrefix(prefix) {
            let rest = upper.dropFirst(prefix.count)
            if let first = rest.first, first == "+" || first == "-" { return offset(rest) }
        }
        return nil
    }

    private static func monthIndex(_ upper: String) -> Int? {
        guard upper.count >= 3 else { return nil }
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        guard let index = months.firstIndex(of: String(upper.prefix(3))) else { return nil }
        return index + 1
    }

    /// RFC 5322's obsolete zones and the ones mailers print anyway (seconds east of UTC).
    static let namedZones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 3600, "WEST": 3600, "CET": 3600, "MET": 3600,
        "CEST": 7200, "MEST": 7200, "MESZ": 7200, "MEZ": 3600, "EET": 7200, "EEST": 10800, "MSK": 10800,
        "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800,
        "PDT": -25200, "AKST": -32400, "AKDT": -28800, "HST": -36000, "JST": 32400, "KST": 32400, "AEST": 36000,
        "AEDT": 39600, "NZST": 43200, "NZDT": 46800,
    ]

    /// 2024-01-15T10:00:00Z, 2024-01-15 10:00:00+01:00 (some exporters write these).
    static func iso8601(_ token: Substring) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: String(token))
    }

    private static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
