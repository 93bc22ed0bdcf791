import Foundation
import Testing

@testable import LoamKit

@Suite("ICalDateTime: the instant a DATE or DATE-TIME names")
struct ICalDateTimeTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("days are proleptic Gregorian before 1582 too, so a date and the day after are one day apart")
    func prolepticGregorian() throws {
        let before = try #require(ICalDateTime.parse("15821004T090000Z")?.date())
        let after = try #require(ICalDateTime.parse("15821015T090000Z")?.date())
        #expect(after.timeIntervalSince(before) == 11 * 86_400, "Foundation's calendar would make these one day apart")
        let early = try #require(ICalDateTime.parse("03260101T000000Z")?.date())
        let next = try #require(ICalDateTime.parse("03260102T000000Z")?.date())
        #expect(next.timeIntervalSince(early) == 86_400)
        #expect(ICalDateTime.parse("19700101T000000Z")?.date() == Date(timeIntervalSince1970: 0))
    }

    @Test("a named zone across daylight saving: the gap moves forward, the repeated hour is its first instance")
    func daylightSaving() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(
            ICalDateTime.parse("20260308T023000", zone: newYork)?.date() == Self.utc("2026-03-08T07:30:00Z"),
            "2:30 does not exist: 3:30 EDT")
        #expect(
            ICalDateTime.parse("20261101T013000", zone: newYork)?.date() == Self.utc("2026-11-01T05:30:00Z"),
            "the first 1:30, in EDT")
        #expect(ICalDateTime.parse("20260701T090000", zone: newYork)?.date() == Self.utc("2026-07-01T13:00:00Z"))
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(
            ICalDateTime.parse("20260329T023000", zone: berlin)?.date() == Self.utc("2026-03-29T01:30:00Z"),
            "2:30 does not exist: 3:30 CEST")
        #expect(
            ICalDateTime.parse("20261025T023000", zone: berlin)?.date() == Self.utc("2026-10-25T00:30:00Z"),
            "the first 2:30, in CEST")
    }

    @Test("floating times and dates are read in the zone given")
    func floating() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        #expect(ICalDateTime.parse("20260101T090000")?.date(floatingZone: tokyo) == Self.utc("2026-01-01T00:00:00Z"))
        #expect(ICalDateTime.parse("20260101")?.date(floatingZone: tokyo) == Self.utc("2025-12-31T15:00:00Z"))
        #expect(ICalDateTime.parse("20260230") == nil, "February 30 is not a date")
    }
}
