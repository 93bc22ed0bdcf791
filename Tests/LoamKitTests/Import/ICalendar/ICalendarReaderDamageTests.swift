import Foundation
import LoamKit
import Testing

@Suite("iCalendar reader: damaged, foreign and large files")
struct ICalendarReaderDamageTests {
    typealias F = ICalendarFixtures

    @Test(
        "No DTSTART, an unreadable DTSTART and no END:VEVENT are skipped with their line; a broken line loses only itself"
    )
    func malformed() throws {
        let items = try F.items("malformed.ics")
        try #require(items.count == 7)
        #expect(items[0].event?.summary == "Complete one")
        #expect(items[1].skipped?.line == 13)
        #expect(items[1].skipped?.reason == "an event with no DTSTART")
        #expect(items[2].skipped?.line == 17)
        #expect(items[2].skipped?.reason.contains("\"TBD\" is not a date or time") == true)
        #expect(items[3].skipped?.line == 22)
        #expect(items[3].skipped?.reason == "no END:VEVENT before the BEGIN:VEVENT on line 26")
        let after = try #require(items[4].event)
        #expect(after.line == 26)
        #expect(after.summary == "After the unended one")
        #expect(after.starts == [F.utc(2026, 1, 7, 9)])
        #expect(items[5].skipped?.line == 32)
        #expect(items[5].skipped?.reason == "2 lines that are not iCalendar")
        #expect(items[6].event?.summary == "Last one")
        #expect(items[6].event?.line == 34)
    }

    @Test("A file cut in the middle of an event yields the whole events, then a skip for the cut one")
    func truncated() throws {
        let reader = try ICalendarReader(path: F.path("truncated.ics"), now: F.now)
        var items: [ICalendarItem] = []
        var progress: [Int64] = []
        while let item = try reader.next() {
            items.append(item)
            progress.append(reader.bytesRead)
        }
        try #require(items.count == 3)
        #expect(items.map(\.event?.summary) == ["First whole", "Second whole", nil])
        #expect(items[2].skipped?.line == 16)
        #expect(items[2].skipped?.reason == "the file ends before this VEVENT's END:VEVENT")
        #expect(progress == progress.sorted() && progress.first! > reader.totalBytes / 2)
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(try reader.next() == nil)
    }

    @Test("A calendar with no END:VCALENDAR is read whole")
    func noEndOfCalendar() throws {
        let items = try F.items("no-end-vcalendar.ics")
        try #require(items.count == 1)
        #expect(items[0].event?.summary == "Still read")
        #expect(items[0].event?.organizer?.email == "dana.oster@example.com")
    }

    @Test(
        "A file that is not iCalendar throws notThisFormat, whatever its name; a missing file or a folder is unreadable"
    )
    func notThisFormat() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<512).map { UInt8(($0 * 37) % 256) }
        let foreign: [[UInt8]] = [
            png,
            Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana\r\nEND:VCARD\r\n".utf8),
            Array("From dana@example.org Mon Jan  1 00:00:00 2024\nSubject: hi\n\nhello\n".utf8),
            Array("BEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\n".utf8),
            [],
        ]
        for bytes in foreign {
            let path = try F.temporaryFile(bytes, name: "calendar.ics")
            #expect(throws: ImportFileError.notThisFormat(expected: "ics")) { try ICalendarReader(path: path) }
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).ics")
        #expect {
            try ICalendarReader(path: missing.path)
        } throws: { error in
            if case .unreadable = error as? ImportFileError { return true }
            return false
        }
        #expect {
            try ICalendarReader(path: F.folder.path)
        } throws: { error in
            if case .unreadable = error as? ImportFileError { return true }
            return false
        }
    }

    @Test("Binary data after BEGIN:VCALENDAR: no crash, the events around it are read, the junk is one skip per run")
    func binaryAfterHeader() throws {
        var bytes = Array(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a@example.com\r\nDTSTART:20260105T090000Z\r\nEND:VEVENT\r\n".utf8)
        // No newlines in the junk, so it is one enormous line: longer than the line cap.
        let block = (0..<4096).map { _ in UInt8.random(in: 0x80...0xFF) }
        for _ in 0..<750 { bytes += block }
        bytes += Array("\r\nBEGIN:VEVENT\r\nUID:b@example.com\r\nDTSTART:20260106T090000Z\r\nEND:VEVENT\r\n".utf8)
        let items = try F.items(atPath: F.temporaryFile(bytes))
        try #require(items.count == 3)
        #expect(items[0].event?.uid == "a@example.com")
        #expect(items[1].skipped?.line == 6)
        #expect(items[1].skipped?.reason == "a line that is not iCalendar")
        #expect(items[2].event?.uid == "b@example.com")
    }

    @Test("Random bytes of every value inside events and between them never crash the reader")
    func randomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var bytes = Array("BEGIN:VCALENDAR\r\n".utf8)
            for _ in 0..<200 {
                let piece: [String] = [
                    "BEGIN:VEVENT", "END:VEVENT", "DTSTART;TZID=\"x:", "RRULE:FREQ=DAILY", "ATTENDEE;CN=\"", " ", "\t",
                    "\r", "\n", ":", ";", "\"", "BEGIN:VALARM", "END:VCALENDAR", "RECURRENCE-ID:2026", "UID:u",
                ]
                if Bool.random(using: &generator) {
                    bytes += Array(piece.randomElement(using: &generator)!.utf8)
                } else {
                    bytes += (0..<Int.random(in: 1...40, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }
                }
            }
            let reader = try ICalendarReader(path: F.temporaryFile(bytes), now: F.now)
            var count = 0
            while try reader.next() != nil { count += 1 }
            #expect(reader.bytesRead == reader.totalBytes)
            #expect(count >= 0)
        }
    }

    @Test(
        "10,000 generated events across many chunks, with Windows zones, folds and alarms: every one read in order, bytesRead reaches the size"
    )
    func tenThousandEvents() throws {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        for index in 0..<10_000 {
            let day = 1 + index % 28
            text += "BEGIN:VEVENT\r\nUID:event-\(index)@example.com\r\n"
            text += "DTSTART;TZID=W. Europe Standard Time:202601\(day < 10 ? "0" : "")\(day)T090000\r\n"
            text +=
                "SUMMARY:Meeting number \(index) with a long enough title to need a fold somewhere around he\r\n re\r\n"
            text += "ORGANIZER;CN=\"Person \(index % 97), Example\":mailto:person\(index % 97)@example.com\r\n"
            text += "ATTENDEE;PARTSTAT=ACCEPTED:mailto:guest\(index % 13)@example.org\r\n"
            text += "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
        }
        text += "END:VCALENDAR\r\n"
        let path = try F.temporaryFile(text)
        let reader = try ICalendarReader(path: path, now: F.now)
        var count = 0
        var lastLine = 0
        var progress: Int64 = 0
        var monotonic = true
        while let item = try reader.next() {
            let event = try #require(item.event)
            #expect(event.uid == "event-\(count)@example.com")
            #expect(event.line > lastLine)
            lastLine = event.line
            if count == 9_999 {
                #expect(
                    event.summary == "Meeting number 9999 with a long enough title to need a fold somewhere around here"
                )
                #expect(event.occurrences.count == 1)
            }
            monotonic = monotonic && reader.bytesRead >= progress
            progress = reader.bytesRead
            count += 1
        }
        #expect(count == 10_000)
        #expect(monotonic)
        #expect(reader.totalBytes > 3 * 64 * 1024)
        #expect(reader.bytesRead == reader.totalBytes)
    }
}
