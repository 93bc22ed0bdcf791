import Foundation
import LoamKit
import Testing

@Suite("iCalendar reader: one quirk at a time")
struct ICalendarReaderQuirkTests {
    typealias F = ICalendarFixtures

    @Test(
        "Folds inside UTF-8 sequences and tab folds are undone on bytes; TEXT escapes \\n \\N \\, \\; \\\\ are undone")
    func foldingAndEscapes() throws {
        let events = try F.events("folding.ics")
        try #require(events.count == 1)
        #expect(events[0].summary == "Übergabe an Jürgen – Café")
        #expect(
            events[0].description
                == "Line one\nLine two\nLine three, with a comma; a semicolon and a backslash \\ at the end")
        #expect(events[0].location == "Große Halle")
    }

    @Test("The same calendar with CRLF, LF or lone CR line endings reads the same")
    func lineEndings() throws {
        let text = try String(contentsOfFile: F.path("google-calendar.ics"), encoding: .utf8)
        let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
        var read: [[String]] = []
        for variant in [text, lf, lf.replacingOccurrences(of: "\n", with: "\r")] {
            let events = try F.items(atPath: F.temporaryFile(variant)).compactMap(\.event)
            read.append(events.flatMap { [$0.summary ?? "", $0.description ?? ""] + $0.keys + $0.attendeeEmails })
        }
        #expect(read[0].count > 10)
        #expect(read[1] == read[0])
        #expect(read[2] == read[0])
    }

    @Test(
        "ORGANIZER and ATTENDEE: CN quoted or bare, MAILTO in any case or missing, EMAIL=, declined, rooms, duplicates")
    func participants() throws {
        let events = try F.events("participants.ics")
        try #require(events.count == 1)
        #expect(
            events[0].organizer == ICalendarParticipant(email: "dana.oster@example.com", name: "Oster, Dana: Sales"))
        // Who they are here; their answers (PARTSTAT) are checked in the export tests.
        #expect(
            events[0].attendees.map { ICalendarParticipant(email: $0.email, name: $0.name) } == [
                ICalendarParticipant(email: "dana.oster@example.com", name: "Oster, Dana: Sales"),
                ICalendarParticipant(email: "jonas.weiss@example.org", name: "Jonas Weiss"),
                ICalendarParticipant(email: "arjun@example.in", name: "Arjun Mehta"),
                ICalendarParticipant(email: "sam@example.org", name: "Rivera, Sam"),
                ICalendarParticipant(email: "lee.park@example.com"),
            ])
    }

    @Test("Addresses keep their dashes: in the local part, in the domain, in an EMAIL parameter")
    func dashedAddresses() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:dashes-1@example.com\r
            DTSTART:20260202T100000Z\r
            ORGANIZER;CN=Jean-Luc Picard:mailto:jean-luc@star-fleet.example\r
            ATTENDEE;CN=Ana:MAILTO:ana-maria@example.org\r
            ATTENDEE;CN=Bo;EMAIL=bo@x-y.example:urn:uuid:00000000-0000-4000-8000-000000000002\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let events = try F.items(atPath: F.temporaryFile(text)).compactMap(\.event)
        try #require(events.count == 1)
        #expect(events[0].organizer?.email == "jean-luc@star-fleet.example")
        #expect(events[0].attendeeEmails == ["ana-maria@example.org", "bo@x-y.example"])
    }

    @Test(
        "A cancelled event is ignored; a cancelled instance is ignored and missing from its series, before or after it")
    func cancelled() throws {
        let items = try F.items("cancelled.ics")
        try #require(items.count == 4)
        #expect(items[0].ignored?.line == 8)
        #expect(items[0].ignored?.reason == "a cancelled event")
        #expect(items[1].ignored?.reason == "a cancelled occurrence")
        #expect(items[3].ignored?.reason == "a cancelled occurrence", "STATUS values are case-insensitive")
        let series = try #require(items[2].event)
        #expect(series.starts == [F.utc(2026, 1, 6, 9), F.utc(2026, 1, 7, 9)])
        #expect(series.keys == ["series@example.com#20260106T090000Z", "series@example.com#20260107T090000Z"])
    }

    @Test(
        "VTODO, VJOURNAL, VFREEBUSY and a loose VALARM are ignored; nested alarms and X- components leave the event alone"
    )
    func otherComponents() throws {
        let items = try F.items("components.ics")
        try #require(items.count == 5)
        #expect(items[0].ignored?.line == 9)
        #expect(items[0].ignored?.reason.contains("VTODO") == true)
        #expect(items[1].ignored?.reason.contains("VJOURNAL") == true)
        #expect(items[2].ignored?.reason.contains("VFREEBUSY") == true)
        #expect(items[3].ignored?.reason.contains("VALARM") == true)
        let event = try #require(items[4].event)
        #expect(event.summary == "Planning with alarms")
        #expect(event.description == nil)
        #expect(event.attendees == [ICalendarParticipant(email: "jonas.weiss@example.org", name: "Jonas Weiss")])
        #expect(event.starts == [F.utc(2026, 1, 12, 14)])
    }

    @Test("An override before its master, in UTC while the master is in a file-defined zone, replaces that instance")
    func overrideBeforeMaster() throws {
        let events = try F.events("overrides.ics", floatingZone: F.tokyo)
        try #require(events.count == 6)
        #expect(events[0].summary == "Standup (afternoon this once)")
        #expect(
            events[0].occurrences == [
                ICalendarOccurrence(start: F.utc(2026, 1, 13, 14), key: "moved@example.com#20260113T080000Z")
            ])
        #expect(events[1].starts == [F.utc(2026, 1, 12, 8), F.utc(2026, 1, 14, 8)])
        #expect(events[1].keys == ["moved@example.com#20260112T080000Z", "moved@example.com#20260114T080000Z"])
    }

    @Test("Overrides of a floating series (keyed by wall clock) and of an all-day series (keyed by date)")
    func floatingAndAllDayOverrides() throws {
        let events = try F.events("overrides.ics", floatingZone: F.tokyo)
        try #require(events.count == 6)
        #expect(
            events[2].starts == [F.utc(2026, 1, 20, 1), F.utc(2026, 1, 22, 1)], "10:00 in the floating zone, Tokyo")
        #expect(events[2].keys == ["floating@example.com#20260120T100000", "floating@example.com#20260122T100000"])
        #expect(
            events[3].occurrences == [
                ICalendarOccurrence(start: F.utc(2026, 1, 21, 7), key: "floating@example.com#20260121T100000")
            ])
        #expect(events[4].keys == ["allday@example.com#20260202", "allday@example.com#20260204"])
        #expect(events[5].keys == ["allday@example.com#20260203"])
        #expect(events[5].isAllDay)
    }

    @Test(
        "TZIDs only a VTIMEZONE defines (after the event), Outlook display names, unknown names (floating), Windows names in any case"
    )
    func unknownTimeZones() throws {
        let events = try F.events("unknown-tzid.ics", floatingZone: F.tokyo)
        try #require(events.count == 5)
        #expect(events[0].starts == [F.utc(2026, 1, 5, 14)], "its VTIMEZONE's STANDARD offset, -05:00")
        #expect(events[1].starts == [F.utc(2026, 1, 6, 8)], "(UTC+01:00) in the name")
        #expect(events[2].starts == [F.utc(2026, 1, 7, 0)], "floating: 09:00 in Tokyo")
        #expect(events[3].starts == [F.utc(2026, 1, 8, 17)], "pacific standard time")
        #expect(events[4].starts == [F.utc(2026, 1, 9, 9)], "the Z wins over the TZID")
    }

    @Test(
        "Without a UID, the key is a hash of DTSTART, SUMMARY and ORGANIZER: stable across exports, distinct between events"
    )
    func noUID() throws {
        let events = try F.events("no-uid.ics")
        try #require(events.count == 2)
        let keys = events.flatMap(\.keys)
        #expect(keys.count == 2 && keys[0] != keys[1])
        #expect(keys.allSatisfy { $0.hasPrefix("sha256:") && $0.hasSuffix("#20260105T090000Z") })
        #expect(keys.allSatisfy { !$0.contains("Coffee") && !$0.contains("dana") }, "the key shows no title or address")
        // The same events reordered, with other properties around them, in LF: the same keys.
        let text = try String(contentsOfFile: F.path("no-uid.ics"), encoding: .utf8).replacingOccurrences(
            of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "BEGIN:VEVENT\n")
        let reordered =
            parts[0] + "BEGIN:VEVENT\nDTSTAMP:20990101T000000Z\n"
            + parts[2].replacingOccurrences(of: "END:VCALENDAR\n", with: "")
            + "BEGIN:VEVENT\nSEQUENCE:3\n" + parts[1] + "END:VCALENDAR\n"
        let again = try F.items(atPath: F.temporaryFile(reordered)).compactMap(\.event).flatMap(\.keys)
        #expect(Set(again) == Set(keys))
    }

    @Test("A future event is read, with no occurrences yet; a series stops at now")
    func stopsAtNow() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:future@example.com\r
            DTSTART:20260301T000001Z\r
            SUMMARY:Tomorrow\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:edge@example.com\r
            DTSTART:20260227T000000Z\r
            RDATE:20260228T000000Z,20260301T000000Z,20260302T000000Z\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let events = try F.items(atPath: F.temporaryFile(text)).compactMap(\.event)
        try #require(events.count == 2)
        #expect(events[0].summary == "Tomorrow")
        #expect(events[0].occurrences.isEmpty)
        #expect(events[1].starts == [F.utc(2026, 2, 27), F.utc(2026, 2, 28), F.utc(2026, 3, 1)], "at now is included")
    }

    @Test("ISO 8601's extended form, with a TZID or Z, is read as the basic form")
    func extendedDates() throws {
        let text = """
            BEGIN:VCALENDAR\r
            BEGIN:VEVENT\r
            UID:extended-1@example.com\r
            DTSTART;TZID=Europe/Berlin:2026-01-05T09:00:00\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:extended-2@example.com\r
            DTSTART:2026-01-06T09:00:00Z\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let events = try F.items(atPath: F.temporaryFile(text)).compactMap(\.event)
        #expect(events.map(\.starts) == [[F.utc(2026, 1, 5, 8)], [F.utc(2026, 1, 6, 9)]])
    }
}
