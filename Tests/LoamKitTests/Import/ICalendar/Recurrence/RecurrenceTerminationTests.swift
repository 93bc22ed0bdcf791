import Foundation
import LoamKit
import Testing

/// Whatever a file says, expansion ends: a rule that can never match stops after a bounded number of empty
/// periods, and arbitrary rule text either fails to parse or expands within `limit` and `end`.
@Suite("Recurrence: rules that never match, and garbage, terminate")
struct RecurrenceTerminationTests {
    typealias F = RecurrenceFixture

    @Test(
        "A rule that can never match yields DTSTART alone, even with no end in sight",
        arguments: [
            "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
            "FREQ=WEEKLY;BYMONTH=6;BYMONTHDAY=-31",
            "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1",
            "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
            "FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2;BYMONTHDAY=1",
            "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MINUTELY;BYMONTH=11;BYMONTHDAY=31",
            "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1",
            "FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1,3,5",
            "FREQ=DAILY;BYSECOND=60",
        ])
    func neverMatching(rule: String) throws {
        var starts: [String] = []
        do {
            starts = try F.expand("19000101T000000", [rule], zone: F.newYork, through: .distantFuture, limit: 10)
        }
        #expect(starts == ["19000101T000000"])
    }

    @Test("A rare but real rule still finds its next instance decades later: February 29th on a Monday")
    func sparseButReal() throws {
        // February 29th fell on a Monday in 1960, 1988, 2016 and falls on one in 2044.
        #expect(
            try F.expand(
                "19600229T090000", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO"], through: .distantFuture, limit: 4)
                == F.nineAM(
                    "19600229", "19880229", "20160229", "20440229"))
        #expect(
            try F.expand(
                "19600229T090000", ["FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"],
                through: .distantFuture, limit: 3)
                == F.nineAM(
                    "19600229", "19880229", "20160229"))
    }

    @Test(
        "A YEARLY rule at every second of the year neither builds its 31 million candidates nor walks them from January"
    )
    func denseYear() throws {
        let every = { (range: ClosedRange<Int>) in range.map(String.init).joined(separator: ",") }
        let rule =
            "FREQ=YEARLY;BYMONTH=1,7,12;BYMONTHDAY=1,31;BYHOUR=\(every(0...23));BYMINUTE=\(every(0...59));BYSECOND=\(every(0...59))"
        var starts: [String] = []
        var last: [String] = []
        do {
            starts = try F.expand("20260701T120000", [rule], limit: 3)
            last = try F.expand("20260701T120000", [rule + ";BYSETPOS=-1"], limit: 3)
        }
        #expect(starts == ["20260701T120000", "20260701T120001", "20260701T120002"])
        #expect(last == ["20260701T120000", "20261231T235959", "20271231T235959"])
    }

    @Test("Many rules in one series cost a step per start each, not a look through every rule for each start")
    func manyRules() throws {
        // Each start used to compare every rule's next start: 500 rules giving the same days took seconds for 100 starts.
        let rules = try (0..<500).map { try RecurrenceRule.parse("FREQ=DAILY;COUNT=\(100_000 + $0)") }
        var starts: [ICalDateTime] = []
        do {
            starts = RecurrenceExpander.starts(
                dtstart: F.value("20260105T090000", in: F.berlin), rules: rules, rdates: [], exdates: [],
                through: F.farFuture,
                floatingZone: F.utc, limit: 100)
        }
        let days = (0..<100).map {
            F.value("20260105T090000", in: F.berlin).date()!.addingTimeInterval(Double($0) * 86_400)
        }
        #expect(starts.count == 100)
        #expect(starts.first.map(F.wallFields) == "20260105T090000")
        #expect(starts.last.map(F.wallFields) == "20260414T090000", "across the change to summer time, still at 9:00")
        #expect(starts.prefix(80).compactMap { $0.date() } == Array(days.prefix(80)), "daily at 9:00 until summer time")
    }

    @Test("2,000 rules at every hour, minute and second of the day do not each build the day's 86,400 times")
    func everyTimeOfDayInManyRules() throws {
        // As one array, each rule's times took 691 KB: 1.4 GB and seconds for these 2,000 RRULE lines.
        let every = { (range: ClosedRange<Int>) in range.map(String.init).joined(separator: ",") }
        let times = "BYHOUR=\(every(0...23));BYMINUTE=\(every(0...59));BYSECOND=\(every(0...59))"
        let rules = try (0..<2000).map { try RecurrenceRule.parse("FREQ=DAILY;COUNT=\(1_000 + $0);" + times) }
        var starts: [ICalDateTime] = []
        do {
            starts = RecurrenceExpander.starts(
                dtstart: F.value("20260105T235958", in: F.berlin), rules: rules, rdates: [], exdates: [],
                through: F.farFuture,
                floatingZone: F.utc, limit: 4)
        }
        #expect(
            starts.map(F.wallFields) == ["20260105T235958", "20260105T235959", "20260106T000000", "20260106T000001"])
    }

    @Test("Expansion stops at the end of year 9999 and at `end`, not later")
    func stopsAtLastYear() throws {
        let beyondYear9999 = Date(timeIntervalSince1970: 400_000_000_000)
        let starts = try F.expand("99970101", ["FREQ=YEARLY"], zone: nil, through: beyondYear9999)
        #expect(starts == ["99970101", "99980101", "99990101"])
        let secondly = try F.expand("99991231T235958Z", ["FREQ=SECONDLY"], zone: nil, through: beyondYear9999)
        #expect(secondly == ["99991231T235958", "99991231T235959"])
    }

    /// A small deterministic generator of rules built from real and broken parts.
    struct Garbage: Sequence, IteratorProtocol {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let parts = [
            "FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY",
            "FREQ=",
            "INTERVAL=1", "INTERVAL=7", "INTERVAL=1000000", "INTERVAL=0", "COUNT=3", "COUNT=100000",
            "UNTIL=20301231T235959Z",
            "UNTIL=19991231", "UNTIL=2030", "BYSECOND=0,30,60", "BYMINUTE=59", "BYHOUR=0,23", "BYDAY=MO,-1FR",
            "BYDAY=53SU",
            "BYDAY=-53MO", "BYDAY=5TH", "BYMONTHDAY=-31,31", "BYMONTHDAY=29", "BYYEARDAY=-366,366", "BYYEARDAY=60",
            "BYWEEKNO=-53,53", "BYWEEKNO=1", "BYMONTH=2", "BYMONTH=2,4", "BYSETPOS=-366,366", "BYSETPOS=1,-1",
            "WKST=SU",
            "WKST=XX", "X-FOO=BAR", ";;", "=", "BYDAY=", "BYMONTH=13", "FREQ=DAILY;FREQ=DAILY", "\u{0}", "BYHOUR=-1",
        ]

        mutating func next() -> String? {
            var rule: [String] = []
            for _ in 0..<(1 + Int(random() % 6)) { rule.append(parts[Int(random() % UInt64(parts.count))]) }
            return rule.joined(separator: ";")
        }

        private mutating func random() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
    }

    @Test(
        "400 generated rules from real and broken parts: each throws a described error or expands in order within limit and end"
    )
    func garbageRules() throws {
        let dtstart = F.value("20200229T235959", in: F.berlin)
        let end = F.instant("20300101T000000Z")
        var expanded = 0
        do {
            for text in Garbage().prefix(400) {
                let rule: RecurrenceRule
                do { rule = try RecurrenceRule.parse(text) } catch {
                    #expect(!String(describing: error).isEmpty)
                    continue
                }
                expanded += 1
                let starts = RecurrenceExpander.starts(
                    dtstart: dtstart, rules: [rule], rdates: [], exdates: [], through: end, floatingZone: F.utc,
                    limit: 200)
                let instants = starts.compactMap { $0.date() }
                #expect(starts.count <= 200, "\(text)")
                #expect(instants.count == starts.count, "\(text)")
                #expect(zip(instants, instants.dropFirst()).allSatisfy { $0 < $1 }, "\(text)")
                #expect(instants.allSatisfy { $0 <= end }, "\(text)")
                #expect(starts.first == dtstart, "\(text)")
            }
        }
        #expect(expanded > 50)
    }
}
