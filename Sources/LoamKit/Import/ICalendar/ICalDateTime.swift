import Foundation

/// A DATE or DATE-TIME value as an iCalendar file writes it (RFC 5545 §3.3.4, §3.3.5): the wall-clock fields and
/// how to place them. Kept as fields rather than a `Date` because recurrence runs on the wall clock of the
/// event's zone ("every Monday at 9:00 in Berlin" stays at 9:00 across daylight saving), and because a
/// RECURRENCE-ID or EXDATE matches an occurrence by these fields.
public struct ICalDateTime: Sendable, Hashable, CustomStringConvertible {
    public enum Zone: Sendable, Hashable {
        /// A trailing `Z`.
        case utc
        /// No zone at all: the same wall-clock time wherever the reader is (and every DATE value).
        case floating
        /// A TZID resolved to an IANA zone.
        case named(TimeZone)
    }

    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// A VALUE=DATE: an all-day value with no time of day.
    public var isDateOnly: Bool
    public var zone: Zone

    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, isDateOnly: Bool = false,
        zone: Zone = .floating
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.isDateOnly = isDateOnly
        self.zone = isDateOnly ? .floating : zone
    }

    /// "20261201" (a date), "20261201T090000" (floating or in `zone`), "20261201T090000Z" (UTC). Lenient where
    /// exporters are sloppy: a missing seconds field ("20261201T0900") and a trailing "Z" after a TZID (the Z wins).
    /// Nil for anything else, including impossible fields (month 13, hour 25).
    public static func parse(_ text: String, zone: TimeZone? = nil) -> ICalDateTime? {
        let bytes = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x09 })
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 8, let year = number(0..<4), let month = number(4..<6), let day = number(6..<8) else {
            return nil
        }
        guard year >= 1, (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        if bytes.count == 8 { return ICalDateTime(year: year, month: month, day: day, isDateOnly: true) }
        guard bytes[8] == UInt8(ascii: "T") || bytes[8] == UInt8(ascii: "t") else { return nil }
        var rest = Array(bytes[9...])
        var isUTC = false
        if let last = rest.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            isUTC = true
            rest.removeLast()
        }
        guard rest.count == 6 || rest.count == 4, rest.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let digits = rest.map { Int($0 - 0x30) }
        let hour = digits[0] * 10 + digits[1]
        let minute = digits[2] * 10 + digits[3]
        let second = rest.count == 6 ? digits[4] * 10 + digits[5] : 0
        // 60 is a leap second (RFC 5545 allows it); 24:00:00 is not a time but some exporters write it.
        guard hour <= 24, minute <= 59, second <= 60, hour < 24 || (minute == 0 && second == 0) else { return nil }
        let placed: Zone = isUTC ? .utc : zone.map { .named($0) } ?? .floating
        return ICalDateTime(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, zone: placed)
    }

    /// The instant this value names. A floating value or a date is read in `floatingZone` (the importer's own
    /// zone; UTC when not known). A wall-clock time that does not exist (inside a spring-forward gap) moves
    /// forward by the gap, as RFC 5545 §3.3.5 says; one that exists twice is the first of the two.
    ///
    /// Days are counted in the proleptic Gregorian calendar (RFC 5545 §3.3.4), as the recurrence expander counts
    /// them: Foundation's Gregorian calendar turns Julian before October 1582, which put a DTSTART of 1582 ten
    /// days away from its own recurrences (found by the rrule fuzz target).
    public func date(floatingZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        let local =
            CivilCalendar.dayNumber(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60
            + min(second, 59)
        let timeZone: TimeZone
        switch zone {
        case .utc: return Date(timeIntervalSince1970: TimeInterval(local))
        case .floating: timeZone = floatingZone
        case .named(let named): timeZone = named
        }
        // The offsets in force half a day either side cover any one change; an offset is right for this
        // wall-clock time when the instant it gives has that offset.
        // (Two values, not a Set and its arrays: this runs for every start of every event.)
        let early = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - 43_200)))
        let late = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local + 43_200)))
        func isValid(_ offset: Int) -> Bool {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - offset))) == offset
        }
        let earlyValid = isValid(early)
        let lateValid = early != late && isValid(late)
        // The earliest instant of the valid ones: the larger offset.
        if earlyValid || lateValid {
            let offset = earlyValid && lateValid ? max(early, late) : earlyValid ? early : late
            return Date(timeIntervalSince1970: TimeInterval(local - offset))
        }
        // In a spring-forward gap: read with the offset before the change (the smaller), which moves it forward.
        return Date(timeIntervalSince1970: TimeInterval(local - min(early, late)))
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        let date = String(format: "%04d%02d%02d", year, month, day)
        if isDateOnly { return date }
        let time = String(format: "T%02d%02d%02d", hour, minute, second)
        switch zone {
        case .utc: return date + time + "Z"
        case .floating: return date + time
        case .named(let timeZone): return "TZID=\(timeZone.identifier):" + date + time
        }
    }
}
