import Foundation

/// The wall clock DTSTART is written on, and the one place where its moments become instants and back: the
/// expansion runs on wall-clock fields, and only ordering, EXDATE and the `end` bound need instants.
struct RecurrenceWallClock {
    let zone: ICalDateTime.Zone
    let isDateOnly: Bool
    let floatingZone: TimeZone
    /// The zone the wall clock is in.
    private let timeZone: TimeZone

    init(dtstart: ICalDateTime, floatingZone: TimeZone) {
        zone = dtstart.zone
        isDateOnly = dtstart.isDateOnly
        self.floatingZone = floatingZone
        timeZone =
            switch dtstart.zone {
            case .utc: Self.utc
            case .floating: floatingZone
            case .named(let named): named
            }
    }

    private static let utc = TimeZone(identifier: "UTC")!

    /// The value an instance is reported as: DTSTART's kind (date or date-time) and zone, with these fields.
    func value(_ wall: WallTime) -> ICalDateTime {
        let (year, month, day) = CivilCalendar.civil(wall.day)
        if isDateOnly { return ICalDateTime(year: year, month: month, day: day, isDateOnly: true) }
        return ICalDateTime(
            year: year, month: month, day: day, hour: wall.second / 3600, minute: wall.second % 3600 / 60,
            second: wall.second % 60, zone: zone)
    }

    /// The instant, as `ICalDateTime.date()` gives it: a time inside a spring-forward gap moves forward by the gap,
    /// one that exists twice is the first (RFC 5545 §3.3.5). UTC needs no calendar; in a zone, `date()` runs only
    /// near an offset change, and elsewhere the offset of the current stretch between two changes is reused,
    /// which makes a start about a hundred times cheaper.
    func instant(_ wall: WallTime) -> Date? {
        let local = wall.day * 86_400 + wall.second
        if case .utc = zone, !isDateOnly { return Date(timeIntervalSince1970: TimeInterval(local)) }
        if let stretch = offsets.stretch {
            let candidate = local - stretch.offset
            if candidate >= stretch.safeFrom, candidate < stretch.until {
                return Date(timeIntervalSince1970: TimeInterval(candidate))
            }
        }
        guard let exact = value(wall).date(floatingZone: floatingZone) else { return nil }
        offsets.remember(around: exact, in: timeZone)
        return exact
    }

    private let offsets = OffsetStretch()

    /// One stretch of time with a single UTC offset, learnt from the last exact conversion. A wall-clock time
    /// whose instant falls inside it, more than a day after its known start, has exactly that instant: no other
    /// instant with another offset can name the same wall-clock time (offsets differ by less than 26 hours).
    private final class OffsetStretch {
        struct Stretch {
            var offset: Int
            var safeFrom: Int
            var until: Int
        }

        var stretch: Stretch?
        private static let widestOffsetChange = 26 * 3600

        func remember(around exact: Date, in timeZone: TimeZone) {
            stretch = nil
            let seconds = exact.timeIntervalSince1970
            guard seconds == seconds.rounded(), abs(seconds) < 1e12 else { return }
            let offset = timeZone.secondsFromGMT(for: exact)
            let probe = exact.addingTimeInterval(-TimeInterval(Self.widestOffsetChange))
            // The offset must hold from a day before `exact`: then any later instant of the stretch is safe.
            guard timeZone.secondsFromGMT(for: probe) == offset else { return }
            if let change = timeZone.nextDaylightSavingTimeTransition(after: probe), change <= exact { return }
            let until =
                timeZone.nextDaylightSavingTimeTransition(after: exact).map {
                    Int($0.timeIntervalSince1970.rounded(.down))
                } ?? Int(1e12)
            stretch = Stretch(offset: offset, safeFrom: Int(seconds), until: until)
        }
    }

    /// The wall-clock moment of an instant; seconds are truncated. From 1583 on, Foundation's Gregorian calendar is
    /// the proleptic one, and the instant plus its offset gives the same fields without building a `Calendar` for
    /// each event (which cost as much as expanding it); before, its Julian dates are kept, as they always were.
    func wall(of date: Date) -> WallTime {
        let seconds = date.timeIntervalSince1970
        if seconds >= Self.firstOf1583, seconds < 1e12 {
            let local = Int(seconds.rounded(.down)) + timeZone.secondsFromGMT(for: date)
            let day = floorDivide(local, 86_400)
            return WallTime(day: day, second: local - day * 86_400)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let fields = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = CivilCalendar.dayNumber(year: fields.year ?? 1970, month: fields.month ?? 1, day: fields.day ?? 1)
        return WallTime(day: day, second: (fields.hour ?? 0) * 3600 + (fields.minute ?? 0) * 60 + (fields.second ?? 0))
    }

    /// 1583-01-01T00:00:00Z, two and a half months after the Gregorian calendar began, so no zone's offset
    /// reaches back before it.
    private static let firstOf1583: TimeInterval = -12_212_553_600

    /// An RDATE as a start of this series: a date-time is moved to DTSTART's zone (same instant); a date gets
    /// DTSTART's time of day, and for an all-day series a date-time keeps only its date.
    func placed(_ rdate: ICalDateTime, dtstart: ICalDateTime) -> ICalDateTime? {
        if rdate.isDateOnly {
            guard !isDateOnly else { return rdate }
            var moved = dtstart
            (moved.year, moved.month, moved.day) = (rdate.year, rdate.month, rdate.day)
            return moved
        }
        if !isDateOnly, rdate.zone == zone { return rdate }
        guard let instant = rdate.date(floatingZone: floatingZone) else { return nil }
        return value(wall(of: instant))
    }
}
