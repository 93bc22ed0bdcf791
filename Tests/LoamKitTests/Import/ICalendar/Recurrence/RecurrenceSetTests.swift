import Foundation
import LoamKit
import Testing

/// The recurrence set around the rules (RFC 5545 §3.8.5.3): DTSTART, RDATE and EXDATE, and the `end` and `limit`
/// an import asks for.
@Suite("Recurrence: RDATE, EXDATE, end and limit")
struct RecurrenceSetTests {
    typealias F = RecurrenceFixture
    private let weekly = "FREQ=WEEKLY;COUNT=4"

    @Test(
        "An EXDATE in UTC, or in another zone, removes the Berlin start at that instant; a different instant removes nothing"
    )
    func exdateByInstant() throws {
        let dtstart = "20260316T090000"
        let inUTC = try F.expand(dtstart, [weekly], zone: F.berlin, exdates: [F.value("20260323T080000Z")])
        #expect(inUTC == ["20260316T090000", "20260330T090000", "20260406T090000"])
        // 07:00Z on March 30th is 03:00 in New York (already on summer time) and 09:00 in Berlin.
        let inNewYork = try F.expand(
            dtstart, [weekly], zone: F.berlin, exdates: [F.value("20260330T030000", in: F.newYork)])
        #expect(inNewYork == ["20260316T090000", "20260323T090000", "20260406T090000"])
        let wrongInstant = try F.expand(dtstart, [weekly], zone: F.berlin, exdates: [F.value("20260330T090000Z")])
        #expect(wrongInstant.count == 4)
    }

    @Test("A date-only EXDATE removes that day of an all-day series, and that day's start of a timed one")
    func exdateDateOnly() throws {
        let allDay = try F.expand(
            "20261201", ["FREQ=DAILY;COUNT=4"], zone: nil, exdates: [F.value("20261203", in: nil)])
        #expect(allDay == ["20261201", "20261202", "20261204"])
        let timed = try F.expand(
            "20261201T090000", ["FREQ=DAILY;COUNT=4"], zone: F.berlin, exdates: [F.value("20261202", in: nil)])
        #expect(timed == ["20261201T090000", "20261203T090000", "20261204T090000"])
    }

    @Test("RDATEs join the set in time order, in DTSTART's zone; one equal to a rule instance appears once")
    func rdatesMerge() throws {
        let rdates = [
            F.value("20260320T120000Z"),  // 13:00 in Berlin
            F.value("20260323T090000", in: F.berlin),  // already an instance of the rule
            F.value("20260301T090000", in: F.berlin),  // before DTSTART: still part of the set
        ]
        let starts = try F.expand("20260316T090000", [weekly], zone: F.berlin, rdates: rdates)
        #expect(
            starts == [
                "20260301T090000", "20260316T090000", "20260320T130000", "20260323T090000", "20260330T090000",
                "20260406T090000",
            ])
    }

    @Test("A date-only RDATE of a timed series gets DTSTART's time; an RDATE can be removed by an EXDATE")
    func rdateDateOnlyAndExcluded() throws {
        let starts = try F.expand(
            "20260316T090000", [], zone: F.berlin,
            rdates: [F.value("20260318", in: nil), F.value("20260319T100000", in: F.berlin)],
            exdates: [F.value("20260319T090000Z")])
        #expect(starts == ["20260316T090000", "20260318T090000"])
    }

    @Test("Without rules the set is DTSTART alone; an EXDATE can remove DTSTART itself")
    func dtstartOnly() throws {
        #expect(try F.expand("20260316T090000", [], zone: F.berlin) == ["20260316T090000"])
        #expect(try F.expand("20260316T090000", [], zone: F.berlin, exdates: [F.value("20260316T080000Z")]).isEmpty)
    }

    @Test("A DTSTART the rule does not produce is still the first start, and is not counted by COUNT")
    func unsynchronizedDtstart() throws {
        // 2026-03-18 is a Wednesday; the rule gives Mondays.
        #expect(
            try F.expand("20260318T090000", ["FREQ=WEEKLY;COUNT=2;BYDAY=MO"], zone: F.berlin) == [
                "20260318T090000", "20260323T090000", "20260330T090000",
            ])
    }

    @Test("Two rules merge into one ordered set without duplicates")
    func twoRules() throws {
        let starts = try F.expand(
            "20260302T090000", ["FREQ=WEEKLY;COUNT=3;BYDAY=MO", "FREQ=WEEKLY;COUNT=3;BYDAY=MO,WE"], zone: F.berlin)
        #expect(starts == ["20260302T090000", "20260304T090000", "20260309T090000", "20260316T090000"])
    }

    @Test("Nothing after `end` is returned, and a start exactly at `end` is")
    func endRespected() throws {
        let end = F.instant("20260305T080000Z")  // 09:00 in Berlin on March 5th
        let starts = try F.expand(
            "20260301T090000", ["FREQ=DAILY"], zone: F.berlin, rdates: [F.value("20260310T090000", in: F.berlin)],
            through: end)
        #expect(
            starts == ["20260301T090000", "20260302T090000", "20260303T090000", "20260304T090000", "20260305T090000"])
        #expect(
            try F.expand("20260301T090000", ["FREQ=DAILY"], zone: F.berlin, through: F.instant("20260201T000000Z"))
                .isEmpty)
    }

    @Test("`limit` caps the set, even for a SECONDLY rule with no end started decades ago")
    func limitRespected() throws {
        var starts: [String] = []
        do {
            starts = try F.expand("19700101T000000Z", ["FREQ=SECONDLY"], zone: nil, limit: 500)
        }
        #expect(starts.count == 500)
        #expect(starts.last == "19700101T000819")
        #expect(try F.expand("20260301T090000", ["FREQ=DAILY"], zone: F.berlin, limit: 0).isEmpty)
        #expect(try F.expand("20260301T090000", ["FREQ=DAILY"], zone: F.berlin, limit: 3).count == 3)
    }

    @Test("EXDATEs do not shorten the result below `limit` when more starts follow")
    func limitAfterExclusion() throws {
        let starts = try F.expand(
            "20260301T090000", ["FREQ=DAILY"], zone: F.berlin, exdates: [F.value("20260302T090000", in: F.berlin)],
            limit: 3)
        #expect(starts == ["20260301T090000", "20260303T090000", "20260304T090000"])
    }

    @Test("Monthly on the 31st skips the shorter months; February 29th yearly comes only in leap years (not 2100)")
    func invalidDatesSkipped() throws {
        #expect(
            try F.expand("20260131T090000", ["FREQ=MONTHLY;COUNT=5"], zone: F.berlin)
                == F.nineAM(
                    "20260131", "20260331", "20260531", "20260731", "20260831"))
        #expect(try F.expand("20240229", ["FREQ=YEARLY;COUNT=3"], zone: nil) == ["20240229", "20280229", "20320229"])
        #expect(
            try F.expand("20960229", ["FREQ=YEARLY;COUNT=2"], zone: nil, through: .distantFuture) == [
                "20960229", "21040229",
            ])
    }

    @Test("An all-day series with an hourly rule gives each day once")
    func allDayWithFineFrequency() throws {
        #expect(try F.expand("20261201", ["FREQ=HOURLY;COUNT=3"], zone: nil) == ["20261201", "20261202", "20261203"])
    }
}
