import Foundation

/// One RRULE value (RFC 5545 §3.3.10), parsed and checked, ready for `RecurrenceExpander`. The BYxxx lists are kept
/// as written (validated, deduplicated, sorted); what an absent list means (the defaults taken from DTSTART) is
/// decided when the rule is expanded, because it depends on DTSTART.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: Int, Sendable, Hashable, Comparable, CaseIterable {
        case secondly, minutely, hourly, daily, weekly, monthly, yearly

        public static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// ISO order (Monday first), so that the day number of a date modulo 7 is its weekday.
    public enum Weekday: Int, Sendable, Hashable, CaseIterable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday
    }

    /// A BYDAY entry: `MO` (every Monday of the period) or `-1FR` (the last Friday of the month or year).
    public struct WeekdayNumber: Sendable, Hashable {
        public var weekday: Weekday
        /// Nil for every such weekday of the period; otherwise ±1…53.
        public var ordinal: Int?

        public init(_ weekday: Weekday, ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }
    }

    public var frequency: Frequency
    public var interval: Int = 1
    public var count: Int?
    /// The inclusive bound; a DATE, a UTC DATE-TIME or a floating one, as written.
    public var until: ICalDateTime?
    public var bySecond: [Int] = []
    public var byMinute: [Int] = []
    public var byHour: [Int] = []
    public var byDay: [WeekdayNumber] = []
    public var byMonthDay: [Int] = []
    public var byYearDay: [Int] = []
    public var byWeekNo: [Int] = []
    public var byMonth: [Int] = []
    public var bySetPos: [Int] = []
    public var weekStart: Weekday = .monday

    public init(frequency: Frequency) {
        self.frequency = frequency
    }
}
