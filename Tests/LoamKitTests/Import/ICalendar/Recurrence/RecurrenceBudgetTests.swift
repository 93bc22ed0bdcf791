import Foundation
import Testing

@testable import LoamKit

/// A rule that never matches is recognised before it walks 400 years of empty periods, and whatever is left is
/// paid for from one budget per file. Work is measured by what the budget spent, never by the clock.
@Suite("Recurrence: empty rules found up front, and the file's budget")
struct RecurrenceBudgetTests {
    typealias F = RecurrenceFixture

    static func expansion(
        _ dtstart: ICalDateTime, _ rules: [String], through end: Date = .distantFuture, limit: Int = 10,
        budget: inout RecurrenceBudget
    ) throws -> RecurrenceExpander.Expansion {
        RecurrenceExpander.occurrences(
            dtstart: dtstart, rules: try rules.map(RecurrenceRule.parse), rdates: [], exdates: [], through: end,
            floatingZone: F.utc, limit: limit, budget: &budget)
    }

    @Test(
        "A rule that can never match is known before its first period: DTSTART alone, and not one empty day spent",
        arguments: [
            "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=YEARLY;BYMONTH=4,6,9,11;BYMONTHDAY=31,-31",
            "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
            "FREQ=WEEKLY;BYMONTH=6;BYMONTHDAY=-31",
            "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1",
            "FREQ=YEARLY;BYYEARDAY=1;BYMONTH=2",
            "FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2;BYMONTHDAY=1",
            "FREQ=MONTHLY;BYDAY=6MO",
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31;BYMONTH=2,3,4,6,9,11",
            "FREQ=MONTHLY;INTERVAL=2;BYMONTH=2",
            "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
            "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=HOURLY;INTERVAL=2;BYHOUR=1,3,5",
            "FREQ=MINUTELY;BYMONTH=11;BYMONTHDAY=31",
            "FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1,3,5",
            "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1",
            "FREQ=SECONDLY;BYSECOND=60",
            "FREQ=DAILY;BYSECOND=60",
        ])
    func knownEmpty(rule: String) throws {
        // 1900-01-01 was a Monday; every 3 months from January reaches April but never March.
        let dtstart = F.value("19000101T000000")
        var budget = RecurrenceBudget()
        let expansion = try Self.expansion(dtstart, [rule], budget: &budget)
        #expect(expansion.starts.map(\.value) == [dtstart])
        #expect(expansion.exhausted == nil)
        #expect(budget.emptyDaysLeft == budget.emptyDays)
    }

    @Test("A rule the up-front test cannot judge still stops, and pays for its 400 empty years from the budget")
    func unknownEmpty() throws {
        var budget = RecurrenceBudget()
        let expansion = try Self.expansion(
            F.value("19000101T000000"), ["FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6"], budget: &budget)
        #expect(expansion.starts.count == 1)
        #expect(expansion.exhausted == nil)
        let spent = budget.emptyDays - budget.emptyDaysLeft
        #expect(spent > 100_000 && spent <= 401 * 366, "\(spent) days")
    }

    /// Rules built from parts that make days, months and times unreachable, alone and together.
    static func generatedRules() -> [String] {
        let frequencies = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
        let parts = [
            "INTERVAL=2", "INTERVAL=3", "INTERVAL=7", "INTERVAL=12", "INTERVAL=24", "INTERVAL=90", "BYMONTH=2",
            "BYMONTH=4,6", "BYMONTH=1,3", "BYMONTHDAY=29", "BYMONTHDAY=30", "BYMONTHDAY=31", "BYMONTHDAY=-30",
            "BYMONTHDAY=1", "BYYEARDAY=60", "BYYEARDAY=366", "BYYEARDAY=-1", "BYYEARDAY=32", "BYDAY=5MO",
            "BYDAY=-5FR", "BYDAY=1TU", "BYDAY=TU", "BYDAY=53SU", "BYHOUR=1", "BYHOUR=2,4", "BYMINUTE=1",
            "BYMINUTE=30", "BYSECOND=1", "BYSECOND=60", "BYSECOND=0,30",
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var rules: [String] = []
        while rules.count < 400 {
            var names = Set<String>()
            var rule = "FREQ=" + frequencies[random(frequencies.count)]
            for _ in 0..<(1 + random(3)) {
                let part = parts[random(parts.count)]
                let name = String(part.prefix { $0 != "=" })
                if names.insert(name).inserted { rule += ";" + part }
            }
            rules.append(rule)
        }
        return rules
    }

    @Test(
        "400 generated rules give the same instances with the up-front test as with a full walk, and many are caught by it"
    )
    func upFrontTestChangesNothing() throws {
        var caught = 0
        for (index, text) in Self.generatedRules().enumerated() {
            let rule = try RecurrenceRule.parse(text)
            // A Monday in February and a Sunday in a leap year's July, at odd times.
            let dtstart = index % 2 == 0 ? F.value("20260202T013001") : F.value("20240707T020000")
            let lastDay = CivilCalendar.dayNumber(year: 2500, month: 1, day: 1)
            func walk(detecting: Bool) -> (walls: [WallTime], spent: Int) {
                var iterator = RecurrenceRuleIterator(
                    rule: rule, dtstart: dtstart, lastDay: lastDay, isPastUntil: { _ in false },
                    detectsEmptyRules: detecting)
                var budget = RecurrenceBudget(emptyDays: .max)
                var walls: [WallTime] = []
                while walls.count < 5, let wall = iterator.next(charging: &budget) { walls.append(wall) }
                return (walls, Int.max - budget.emptyDaysLeft)
            }
            let detected = walk(detecting: true)
            let full = walk(detecting: false)
            #expect(detected.walls == full.walls, "\(text) from \(dtstart)")
            if detected.spent == 0, detected.walls.isEmpty, full.spent > 0 { caught += 1 }
        }
        #expect(caught >= 40, "\(caught) rules known to be empty")
    }

    @Test("Real rules spend almost nothing: sparse ones, monthly on the 31st, February 29th, business hours")
    func realRules() throws {
        let rules = [
            "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
            "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=HOURLY;BYHOUR=9,10,11,12,13,14,15,16,17;BYDAY=MO,TU,WE,TH,FR",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYDAY=1MO;BYMONTH=9",
        ]
        let dtstart = F.value("20000131T090000")
        for rule in rules {
            var budget = RecurrenceBudget()
            let expansion = try Self.expansion(
                dtstart, [rule], through: F.instant("20260301T000000Z"), limit: 10_000, budget: &budget)
            let plain = try F.expand("20000131T090000", [rule], through: F.instant("20260301T000000Z"), limit: 10_000)
            #expect(expansion.starts.map { F.wallFields($0.value) } == plain, "\(rule)")
            #expect(expansion.exhausted == nil, "\(rule)")
            #expect(budget.emptyDays - budget.emptyDaysLeft < 40_000, "\(rule)")
        }
    }

    @Test("Once the budget is spent, a rule stops at its next empty period, and one without empty periods goes on")
    func spentBudget() throws {
        var budget = RecurrenceBudget(emptyDays: 1000)
        let empty = try Self.expansion(
            F.value("19000101T000000"), ["FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6"], budget: &budget)
        #expect(empty.exhausted == .emptyDays)
        #expect(budget.emptyDaysLeft <= 0 && budget.emptyDaysLeft > -366)
        let sparse = try Self.expansion(F.value("20000131T090000"), ["FREQ=MONTHLY;BYMONTHDAY=31"], budget: &budget)
        #expect(sparse.starts.map { F.wallFields($0.value) } == ["20000131T090000"], "February 2000 holds no 31st")
        #expect(sparse.exhausted == .emptyDays)
        let dense = try Self.expansion(F.value("20000131T090000"), ["FREQ=WEEKLY"], limit: 50, budget: &budget)
        #expect(dense.starts.count == 50)
        #expect(dense.exhausted == nil)
    }

    @Test("The occurrences budget stops the rules' starts; DTSTART and RDATEs are kept")
    func occurrenceBudget() throws {
        var budget = RecurrenceBudget(occurrences: 10)
        let rules = [try RecurrenceRule.parse("FREQ=DAILY")]
        let dtstart = F.value("20260105T090000")
        let rdate = F.value("20260301T090000")
        let expansion = RecurrenceExpander.occurrences(
            dtstart: dtstart, rules: rules, rdates: [rdate], exdates: [], through: F.farFuture, floatingZone: F.utc,
            limit: 100,
            budget: &budget)
        // DTSTART is the rule's first start too: charged, and kept once, as DTSTART.
        #expect(expansion.starts.count == 11)
        #expect(expansion.starts.last?.value == rdate)
        #expect(expansion.exhausted == .occurrences)
        #expect(budget.occurrencesLeft == 0)
    }
}
