import Foundation
import LoamKit

/// The iCalendar reader's pass, apart because it alone expands recurrences: its records are the VEVENTs read
/// (cancelled ones, which it reads whole and ignores, included), as Python's `walk("VEVENT")` counts them.
enum ImportBenchmarkCalendarParser {
    static func measure(path: String) throws {
        try ImportBenchmarkParsers.measure("ics", "ICalendarReader", path: path, unit: "events") {
            let reader = try ICalendarReader(
                path: path, now: Date(), floatingZone: TimeZone(identifier: "Europe/Berlin")!)
            var tally = ImportBenchmarkParsers.Tally()
            while let item = try reader.next() {
                switch item {
                case .event(let event):
                    tally.records += 1
                    tally.touched += event.attendees.count + event.occurrences.count
                case .ignored: tally.records += 1
                case .skipped: tally.skipped += 1
                }
            }
            return tally
        }
    }
}
