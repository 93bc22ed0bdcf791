import Foundation
import LoamKit
import Testing

/// Rules run on the wall clock of DTSTART's zone: the local time stays, the UTC instant moves with daylight saving.
@Suite("Recurrence: daylight saving in Europe/Berlin and America/New_York")
struct RecurrenceTimeZoneTests {
    typealias F = RecurrenceFixture

    private func starts(_ dtstart: String, _ rule: String, zone: TimeZone?, limit: Int = 100) throws -> [ICalDateTime] {
        RecurrenceExpander.starts(
            dtstart: F.value(dtstart, in: zone), rules: [try RecurrenceRule.parse(rule)], rdates: [], exdates: [],
            through: F.farFuture,
            floatingZone: F.utc, limit: limit)
    }

    private func utc(_ values: [ICalDateTime]) -> [String] {
        values.map { value in
            guard let date = value.date() else { return "no instant" }
            return F.wallFields(ICalDateTimeUTC.fields(of: date))
        }
    }

    @Test("A weekly 9:00 in Berlin stays at 9:00 when summer time starts (08:00Z, then 07:00Z)")
    func berlinWeeklySpring() throws {
        let values = try starts("20260316T090000", "FREQ=WEEKLY;COUNT=4", zone: F.berlin)
        #expect(
            values.map(F.wallFields) == ["20260316T090000", "20260323T090000", "20260330T090000", "20260406T090000"])
        #expect(values.allSatisfy { $0.zone == .named(F.berlin) })
        #expect(utc(values) == ["20260316T080000", "20260323T080000", "20260330T070000", "20260406T070000"])
    }

    @Test("A weekly 9:00 in Berlin stays at 9:00 when summer time ends (07:00Z, then 08:00Z)")
    func berlinWeeklyAutumn() throws {
        let values = try starts("20261019T090000", "FREQ=WEEKLY;COUNT=2", zone: F.berlin)
        #expect(utc(values) == ["20261019T070000", "20261026T080000"])
    }

    @Test(
        "A daily 02:30 in Berlin: on the night the clocks jump from 02:00 to 03:00 it moves forward by the gap (RFC 5545 §3.3.5)"
    )
    func berlinGap() throws {
        let values = try starts("20260327T023000", "FREQ=DAILY;COUNT=4", zone: F.berlin)
        #expect(
            values.map(F.wallFields) == ["20260327T023000", "20260328T023000", "20260329T023000", "20260330T023000"])
        // 02:30 does not exist on the 29th: it is 03:30 CEST, 01:30Z, the same instant as the day before.
        #expect(utc(values) == ["20260327T013000", "20260328T013000", "20260329T013000", "20260330T003000"])
    }

    @Test("A daily 02:30 in Berlin on the night 02:00-03:00 happens twice is the first of the two (summer time)")
    func berlinOverlap() throws {
        let values = try starts("20261024T023000", "FREQ=DAILY;COUNT=3", zone: F.berlin)
        #expect(utc(values) == ["20261024T003000", "20261025T003000", "20261026T013000"])
    }

    @Test("A weekly 9:00 in New York across the end and the start of daylight saving")
    func newYorkWeekly() throws {
        let autumn = try starts("20261026T090000", "FREQ=WEEKLY;COUNT=2", zone: F.newYork)
        #expect(utc(autumn) == ["20261026T130000", "20261102T140000"])
        let spring = try starts("20260302T090000", "FREQ=WEEKLY;COUNT=2", zone: F.newYork)
        #expect(utc(spring) == ["20260302T140000", "20260309T130000"])
    }

    @Test(
        "HOURLY in New York over the spring-forward night: 02:00 does not exist, lands on 03:00 and is not given twice")
    func newYorkHourlyGap() throws {
        let values = try starts("20260308T000000", "FREQ=HOURLY;COUNT=5", zone: F.newYork)
        #expect(utc(values) == ["20260308T050000", "20260308T060000", "20260308T070000", "20260308T080000"])
    }

    @Test("A UTC UNTIL bounds a New York series by instant: 9:00 EST on the until day is 14:00Z, after 13:59Z")
    func untilByInstant() throws {
        let values = try starts("20261102T090000", "FREQ=DAILY;UNTIL=20261104T135900Z", zone: F.newYork)
        #expect(values.map(F.wallFields) == ["20261102T090000", "20261103T090000"])
        let inclusive = try starts("20261102T090000", "FREQ=DAILY;UNTIL=20261104T140000Z", zone: F.newYork)
        #expect(inclusive.count == 3)
    }

    @Test("A floating UNTIL is read on DTSTART's wall clock; a date UNTIL includes its whole day")
    func untilOnWallClock() throws {
        let floating = try starts("20260701T090000", "FREQ=DAILY;UNTIL=20260703T090000", zone: F.berlin)
        #expect(floating.map(F.wallFields) == ["20260701T090000", "20260702T090000", "20260703T090000"])
        let date = try starts("20260701T230000", "FREQ=DAILY;UNTIL=20260703", zone: F.berlin)
        #expect(date.map(F.wallFields) == ["20260701T230000", "20260702T230000", "20260703T230000"])
    }

    @Test("A UTC DTSTART and a floating one: the floating series is placed in the importer's zone")
    func utcAndFloating() throws {
        let utcValues = try starts("20260329T013000Z", "FREQ=DAILY;COUNT=2", zone: nil)
        #expect(utcValues.allSatisfy { $0.zone == .utc })
        #expect(utc(utcValues) == ["20260329T013000", "20260330T013000"])
        let floating = RecurrenceExpander.starts(
            dtstart: F.value("20260328T090000", in: nil), rules: [try RecurrenceRule.parse("FREQ=DAILY;COUNT=2")],
            rdates: [], exdates: [],
            through: F.farFuture, floatingZone: F.berlin, limit: 10)
        #expect(floating.allSatisfy { $0.zone == .floating })
        #expect(
            floating.map { $0.date(floatingZone: F.berlin) } == [
                F.instant("20260328T080000Z"), F.instant("20260329T070000Z"),
            ])
    }
}

/// UTC wall fields of an instant, to state expected instants the way the RFC writes them.
enum ICalDateTimeUTC {
    static func fields(of date: Date) -> ICalDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return ICalDateTime(
            year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!, zone: .utc
        )
    }
}

/// The expander reuses a zone's offset between two changes instead of asking `ICalDateTime.date()` for every start;
/// EXDATEs match by instant, so if any start's instant differed from `date()`, it would survive its own EXDATE.
@Suite("Recurrence: instants agree with ICalDateTime.date() around every kind of offset change")
struct RecurrenceInstantTests {
    typealias F = RecurrenceFixture

    @Test(
        "Every 30 minutes through the transitions of a year: each start is removed by an EXDATE of its own instant",
        arguments: [
            ("Europe/Berlin", "20110301T000000", "20111110T000000Z"),
            ("America/New_York", "20110301T000000", "20111110T000000Z"),
            ("Australia/Lord_Howe", "20110301T000000", "20111110T000000Z"),  // 30-minute daylight saving
            ("Pacific/Apia", "20110915T000000", "20120105T000000Z"),  // 2011-12-30 never happened
            ("Europe/Moscow", "20141001T000000", "20141101T000000Z"),  // +4 to +3, not a daylight-saving change
        ])
    func instantsMatchExactConversion(zoneName: String, dtstart: String, until: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let rule = try RecurrenceRule.parse("FREQ=MINUTELY;INTERVAL=30")
        let end = F.instant(until)
        let starts = RecurrenceExpander.starts(
            dtstart: F.value(dtstart, in: zone), rules: [rule], rdates: [], exdates: [], through: end,
            floatingZone: F.utc, limit: 100_000)
        let instants = starts.compactMap { $0.date() }
        #expect(instants.count == starts.count)
        #expect(starts.count > 1000)
        #expect(zip(instants, instants.dropFirst()).allSatisfy { $0 < $1 })
        let exdates = instants.map(ICalDateTimeUTC.fields)
        let remaining = RecurrenceExpander.starts(
            dtstart: F.value(dtstart, in: zone), rules: [rule], rdates: [], exdates: exdates, through: end,
            floatingZone: F.utc, limit: 100_000)
        #expect(remaining.isEmpty, "\(remaining.prefix(3))")
    }
}
