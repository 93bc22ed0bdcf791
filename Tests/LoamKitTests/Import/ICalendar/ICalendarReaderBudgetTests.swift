import Foundation
import Testing

@testable import LoamKit

/// A file of many hostile recurring events costs a bounded amount of work: the reader's `RecurrenceBudget` is
/// shared by all its events, and each event the budget cut short is followed by a `.skipped` that says so.
@Suite("iCalendar reader: one recurrence budget per file")
struct ICalendarReaderBudgetTests {
    typealias F = ICalendarFixtures

    /// `count` events from 1900, each with `rules` (numbered INTERVALs make them distinct, as a hostile file would).
    static func calendar(events count: Int, rules: [String], start: String = "19000101T000000Z") -> String {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        for event in 0..<count {
            text += "BEGIN:VEVENT\r\nUID:hostile-\(event)\r\nDTSTART:\(start)\r\n"
            for (index, rule) in rules.enumerated() { text += "RRULE:\(rule);INTERVAL=\(index + 1)\r\n" }
            text += "ORGANIZER:mailto:dana@example.org\r\nEND:VEVENT\r\n"
        }
        return text + "END:VCALENDAR\r\n"
    }

    static func read(_ text: String, budget: RecurrenceBudget? = nil) throws -> (
        items: [ICalendarItem], budget: RecurrenceBudget
    ) {
        let reader = try ICalendarReader(path: try F.temporaryFile(text), now: F.now)
        if let budget { reader.recurrenceBudget = budget }
        var items: [ICalendarItem] = []
        while let item = try reader.next() { items.append(item) }
        return (items, reader.recurrenceBudget)
    }

    @Test("200 events of 10 rules that never match and that no up-front test sees stop once the file's budget is spent")
    func hostileFile() throws {
        // From the year 1000, each YEARLY rule walks up to 400 empty years (about 146,000 days) before it gives up
        // on its own, and "now" stops those of INTERVAL=3 and more sooner: still 2,000 rules, over 100 million days.
        let rules = Array(repeating: "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", count: 10)
        let text = Self.calendar(events: 200, rules: rules, start: "10000101T000000Z")
        let (items, budget) = try Self.read(text)
        let spent = budget.emptyDays - budget.emptyDaysLeft
        #expect(spent >= RecurrenceBudget.fileEmptyDays && spent < RecurrenceBudget.fileEmptyDays + 366)
        let events = items.compactMap(\.event)
        let reports = items.compactMap(\.skipped)
        #expect(events.count == 200)
        #expect(events.allSatisfy { $0.occurrences.count == 1 }, "each keeps its DTSTART")
        // 4,000,000 days are a few events' worth: from the first event cut short on, every one is.
        #expect(reports.count >= 190 && reports.count <= 198)
        let firstCut = try #require(events.firstIndex { $0.line == reports.first?.line })
        #expect(reports.map(\.line) == events[firstCut...].map(\.line))
        let first = try #require(reports.first)
        #expect(
            first.reason.hasPrefix(
                "an event whose recurrence was cut short: this file's recurrence rules had already searched 4,000,000 days"
            ))
        #expect(first.reason.hasSuffix("; 1 occurrence kept"))
        // The report follows its event, with the event's BEGIN line.
        let index = try #require(items.firstIndex { $0.skipped != nil })
        #expect(items[index - 1].event?.line == first.line)
    }

    @Test("500 events of 10 rules that can never match (February 30th and the like) spend nothing at all")
    func knownEmptyRules() throws {
        let rules = [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
            "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MINUTELY;BYSECOND=60", "FREQ=SECONDLY;BYMONTH=11;BYMONTHDAY=31", "FREQ=MONTHLY;BYDAY=6FR",
            "FREQ=WEEKLY;BYMONTH=6;BYMONTHDAY=-31", "FREQ=YEARLY;BYYEARDAY=1;BYMONTH=3", "FREQ=DAILY;BYSECOND=60",
            "FREQ=MONTHLY;BYMONTH=9;BYMONTHDAY=31",
        ]
        let (items, budget) = try Self.read(Self.calendar(events: 500, rules: rules))
        #expect(items.count == 500)
        #expect(items.allSatisfy { $0.event?.occurrences.count == 1 })
        #expect(budget.emptyDaysLeft == budget.emptyDays)
    }

    @Test("Recurring events past the file's occurrences budget keep DTSTART, with a report; earlier ones are whole")
    func occurrencesBudget() throws {
        let text = Self.calendar(events: 5, rules: ["FREQ=DAILY;COUNT=100"], start: "20250101T090000Z")
        let (items, budget) = try Self.read(text, budget: RecurrenceBudget(occurrences: 250))
        #expect(budget.occurrencesLeft == 0)
        let events = items.compactMap(\.event)
        // Each of the rule's 100 starts is charged, its first too (DTSTART, which is kept as DTSTART).
        #expect(events.map(\.occurrences.count) == [100, 100, 50, 1, 1])
        let reports = items.compactMap(\.skipped)
        #expect(reports.map(\.line) == events.suffix(3).map(\.line))
        #expect(
            reports.first?.reason
                == "an event whose recurrence was cut short: this file's recurrence rules had already given 250 starts; 50 occurrences kept"
        )
    }

    @Test(
        "A SECONDLY rule whose starts all-day EXDATEs remove stops after 10 removed starts per occurrence it may keep")
    func removedStarts() throws {
        // 26 all-day EXDATEs remove 86,400 starts each from each of 10 rules: 22 million, which took seconds.
        var text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260105T000000Z\r\n"
        for rule in 0..<10 { text += "RRULE:FREQ=SECONDLY;COUNT=\(10_000_000 + rule)\r\n" }
        text +=
            "EXDATE;VALUE=DATE:" + (5...30).map { "202601\($0 < 10 ? "0" : "")\($0)" }.joined(separator: ",") + "\r\n"
        text += "END:VEVENT\r\nEND:VCALENDAR\r\n"
        let (items, budget) = try Self.read(text)
        #expect(budget.occurrences - budget.occurrencesLeft == 100_000)
        #expect(items.first?.event?.occurrences.isEmpty == true)
        #expect(
            items.last?.skipped?.reason
                == "an event whose recurrence was cut short: its EXDATEs had already removed 100,000 of its rules' starts; 0 occurrences kept"
        )
    }

    @Test("The fixtures' recurring events spend a sliver of the budget and are never cut short")
    func realCalendars() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: F.folder.path).filter { $0.hasSuffix(".ics") }
        try #require(!names.isEmpty)
        for name in names {
            let reader = try ICalendarReader(path: F.path(name), now: F.now)
            var reports: [String] = []
            while let item = try reader.next() {
                if let skipped = item.skipped, skipped.reason.contains("cut short") { reports.append(skipped.reason) }
            }
            #expect(reports.isEmpty, "\(name)")
            let budget = reader.recurrenceBudget
            #expect(budget.emptyDays - budget.emptyDaysLeft < budget.emptyDays / 100, "\(name)")
        }
    }
}
