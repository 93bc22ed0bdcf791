import Foundation
import LoamKit
import Testing

@Suite("iCalendar reader: streaming and recurrence bounds")
struct ICalendarReaderStreamingTests {
    typealias F = ICalendarFixtures

    /// Bytes in memory that count how far the reader has pulled since the last rewind.
    final class CountingSource: ImportByteSource {
        private let bytes: [UInt8]
        private var position = 0
        private(set) var rewinds = 0
        var pulled: Int64 { Int64(position) }
        var size: Int64 { Int64(bytes.count) }

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(upToCount count: Int) throws -> [UInt8] {
            let end = min(bytes.count, position + count)
            defer { position = end }
            return Array(bytes[position..<end])
        }

        func rewind() throws {
            position = 0
            rewinds += 1
        }
    }

    @Test(
        "Events are handed out as their bytes are read, not after the whole file: the second pass reads two chunks ahead at most"
    )
    func streams() throws {
        var text = "BEGIN:VCALENDAR\r\n"
        for index in 0..<5_000 {
            text += "BEGIN:VEVENT\r\nUID:s-\(index)@example.com\r\nDTSTART:20260105T090000Z\r\n"
            text += "DESCRIPTION:\(String(repeating: "x", count: 200))\r\nEND:VEVENT\r\n"
        }
        let source = CountingSource(Array(text.utf8))
        let reader = try ICalendarReader(source: source, now: F.now)
        var count = 0
        var furthestAhead: Int64 = 0
        while let item = try reader.next() {
            #expect(item.event != nil)
            let consumed = 2 * reader.bytesRead - reader.totalBytes  // the second pass's offset
            furthestAhead = max(furthestAhead, source.pulled - consumed)
            count += 1
        }
        #expect(count == 5_000)
        #expect(source.rewinds == 1)
        #expect(furthestAhead <= 2 * 64 * 1024)
        #expect(source.size > 20 * 64 * 1024)
    }

    @Test("A rule that never ends is expanded up to now only, and at most 10,000 times")
    func boundedExpansion() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:forever@example.com\r
            DTSTART:20260101T000000Z\r
            RRULE:FREQ=MINUTELY\r
            ATTENDEE:mailto:dana@example.com\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:daily@example.com\r
            DTSTART;TZID=Europe/Berlin:20260220T090000\r
            RRULE:FREQ=DAILY\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:bad-rule@example.com\r
            DTSTART:20260110T090000Z\r
            RRULE:FREQ=SOMETIMES\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let events = try F.items(atPath: F.temporaryFile(text)).compactMap(\.event)
        try #require(events.count == 3)
        #expect(events[0].occurrences.count == 10_000)
        #expect(events[0].starts.last == F.utc(2026, 1, 7, 22, 39))
        #expect(
            events[1].starts == (20...28).map { F.utc(2026, 2, $0, 8) },
            "Feb 20 to 28 at 09:00 Berlin; Mar 1 09:00 is after now")
        #expect(events[1].keys.last == "daily@example.com#20260228T080000Z")
        #expect(events[2].starts == [F.utc(2026, 1, 10, 9)], "an unreadable RRULE leaves the first occurrence")
    }

    @Test("An event's RRULEs past its first 10 readable ones are ignored, and thousands of copies of one cost one")
    func manyRules() throws {
        var text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:many@example.com\r\nDTSTART:20260222T000000Z\r\n"
        text += "RRULE:FREQ=SOMETIMES\r\n"  // unreadable: not one of the 10
        for index in 0..<10 { text += "RRULE:FREQ=DAILY;COUNT=\(1_000 + index)\r\n" }
        text += "RRULE:FREQ=HOURLY\r\n"
        text += "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:copies@example.com\r\nDTSTART:20260222T000000Z\r\n"
        text += String(repeating: "RRULE:FREQ=HOURLY\r\n", count: 1_000)
        text += "END:VEVENT\r\nEND:VCALENDAR\r\n"
        let events = try F.items(atPath: F.temporaryFile(text)).compactMap(\.event)
        try #require(events.count == 2)
        #expect(
            events[0].starts == (22...28).map { F.utc(2026, 2, $0, 0) } + [F.utc(2026, 3, 1, 0)],
            "daily, not hourly, up to now")
        #expect(
            events[1].starts == (0...(7 * 24)).map { F.utc(2026, 2, 22, 0).addingTimeInterval(Double($0) * 3600) },
            "each hour once")
    }
}
