import Foundation

public enum RecurrenceExpander {
    /// Starts of the recurrence set (RFC 5545 §3.8.5.3): DTSTART, the RRULEs' and RDATEs' starts, minus EXDATEs, in
    /// time order, each in dtstart's zone, those at or before `end`, at most `limit`.
    public static func starts(dtstart: ICalDateTime, rules: [RecurrenceRule], rdates: [ICalDateTime], exdates: [ICalDateTime], through end: Date, floatingZone: TimeZone, limit: Int) -> [ICalDateTime] {
        guard limit > 0 else { return [] }
        var found: [(Date, ICalDateTime)] = []
        func add(_ value: ICalDateTime) {
            guard let instant = value.date(floatingZone: floatingZone), instant <= end else { return }
            found.append((instant, value))
        }
        add(dtstart)
        rdates.forEach(add)
        let startDay = CivilCalendar.dayNumber(year: dtstart.year, month: dtstart.month, day: dtstart.day)
        for rule in rules where rule.frequency == .daily || rule.frequency == .weekly {
            let step = rule.frequency == .daily ? rule.interval : 7 * rule.interval
            var emitted = 0
            var day = startDay
            while emitted < min(rule.count ?? limit, limit) {
                let (year, month, dayOfMonth) = CivilCalendar.civil(day)
                var value = dtstart
                (value.year, value.month, value.day) = (year, month, dayOfMonth)
                guard let instant = value.date(floatingZone: floatingZone), instant <= end else { break }
                found.append((instant, value))
                emitted += 1
                day += step
            }
        }
        let excluded = Set(exdates.compactMap { $0.date(floatingZone: floatingZone) })
        var seen = Set<Date>()
        return found.sorted { $0.0 < $1.0 }.filter { !excluded.contains($0.0) && seen.insert($0.0).inserted }.prefix(limit).map(\.1)
    }
}
