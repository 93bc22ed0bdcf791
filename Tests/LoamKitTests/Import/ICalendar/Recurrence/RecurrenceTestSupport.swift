import Foundation
import LoamKit

/// Shared set-up of the recurrence tests: the RFC 5545 examples all start in America/New_York.
enum RecurrenceFixture {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let utc = TimeZone(identifier: "UTC")!
    /// Far enough that "forever" rules are cut by `limit`, not by `end`.
    static let farFuture = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01

    /// `text` like "19970902T090000" read in `zone` (or "…Z", or a date).
    static func value(_ text: String, in zone: TimeZone? = newYork) -> ICalDateTime {
        guard let value = ICalDateTime.parse(text, zone: zone) else { fatalError("bad fixture date \(text)") }
        return value
    }

    static func instant(_ utcText: String) -> Date {
        guard let date = ICalDateTime.parse(utcText)?.date() else { fatalError("bad fixture instant \(utcText)") }
        return date
    }

    /// The starts as their wall-clock fields ("19970902T090000", or "19970902" for dates), the form the RFC lists.
    static func expand(
        _ dtstart: String, _ rules: [String], zone: TimeZone? = newYork, rdates: [ICalDateTime] = [],
        exdates: [ICalDateTime] = [],
        through end: Date = farFuture, limit: Int = 1000
    ) throws -> [String] {
        let parsed = try rules.map(RecurrenceRule.parse)
        let starts = RecurrenceExpander.starts(
            dtstart: value(dtstart, in: zone), rules: parsed, rdates: rdates, exdates: exdates, through: end,
            floatingZone: utc, limit: limit)
        return starts.map(wallFields)
    }

    static func wallFields(_ value: ICalDateTime) -> String {
        let text = value.description
        return text.split(separator: ":").last.map { String($0).replacingOccurrences(of: "Z", with: "") } ?? text
    }

    /// "19970902", "19970903" … at 09:00:00, the time of nearly every RFC example.
    static func nineAM(_ days: String...) -> [String] { days.map { $0 + "T090000" } }
}
