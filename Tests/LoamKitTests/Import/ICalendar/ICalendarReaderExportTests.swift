import Foundation
import LoamKit
import Testing

@Suite("iCalendar reader: whole exports of Google, Apple, Outlook and Thunderbird")
struct ICalendarReaderExportTests {
    typealias F = ICalendarFixtures

    @Test("Google: CN equal to the address is no name, declined people and rooms are left out, escapes undone")
    func googleSingleEvent() throws {
        let events = try F.events("google-calendar.ics")
        try #require(events.count == 4)
        let planning = events[0]
        #expect(planning.line == 12)
        #expect(planning.uid == "1q2w3e4r5t6y7u8i9o0p@google.com")
        #expect(planning.summary == "Quarterly planning")
        #expect(planning.description == "Agenda:\n1. Roadmap, Q1\n2. Hiring; budget\nNotes in C:\\shared\\plans")
        #expect(planning.organizer == ICalendarParticipant(email: "dana.oster@example.com", name: nil))
        #expect(planning.attendees.map(\.answer) == ["accepted", "accepted"], "PARTSTAT, in lower case")
        #expect(
            planning.attendees.map { ICalendarParticipant(email: $0.email, name: $0.name) } == [
                ICalendarParticipant(email: "dana.oster@example.com"),
                ICalendarParticipant(email: "jonas.weiss@example.org", name: "Jonas Weiß"),
            ])
        #expect(planning.isAllDay == false)
        #expect(
            planning.occurrences == [
                ICalendarOccurrence(
                    start: F.utc(2026, 1, 12, 13), key: "1q2w3e4r5t6y7u8i9o0p@google.com#20260112T130000Z")
            ])
    }

    @Test("Google: a weekly series in Europe/Berlin up to now, less its EXDATE and the instance its override replaces")
    func googleSeries() throws {
        let events = try F.events("google-calendar.ics")
        try #require(events.count == 4)
        let series = events[1]
        #expect(series.organizer == nil, "a shared calendar's address is no person")
        #expect(series.attendeeEmails == ["jonas.weiss@example.org", "dana.oster@example.com"])
        // Mondays 09:30 in Berlin (08:30 UTC in winter): Jan 19 is an EXDATE, Jan 26 was moved to the 27th.
        #expect(
            series.starts == [(1, 5), (1, 12), (2, 2), (2, 9), (2, 16), (2, 23)].map { F.utc(2026, $0.0, $0.1, 8, 30) })
        #expect(series.keys.first == "7h8j9k0l1z2x3c4v5b6n@google.com#20260105T083000Z")
        let moved = events[2]
        #expect(moved.summary == "Weekly sync (moved to Tuesday)")
        #expect(
            moved.occurrences == [
                ICalendarOccurrence(
                    start: F.utc(2026, 1, 27, 10), key: "7h8j9k0l1z2x3c4v5b6n@google.com#20260126T083000Z")
            ])
        let offsite = events[3]
        #expect(offsite.isAllDay)
        #expect(
            offsite.occurrences == [
                ICalendarOccurrence(start: F.utc(2026, 2, 16), key: "0a9s8d7f6g5h4j3k2l1@google.com#20260216")
            ])
    }

    @Test(
        "Apple: quoted CN with a comma, EMAIL for a principal or urn:uuid value, ^' in CN, rooms and the alarm's attendee left out"
    )
    func apple() throws {
        let events = try F.events("apple-calendar.ics")
        try #require(events.count == 2)
        let review = events[0]
        #expect(review.organizer == ICalendarParticipant(email: "lee.park@example.com", name: "Park, Lee"))
        #expect(review.attendees.map(\.answer) == ["accepted", "tentative", "accepted"])
        #expect(
            review.attendees.map { ICalendarParticipant(email: $0.email, name: $0.name) } == [
                ICalendarParticipant(email: "dana@example.com", name: "Oster, Dana"),
                ICalendarParticipant(email: "sam@example.org", name: "Sam \"Sunny\" Rivera"),
                ICalendarParticipant(email: "lee.park@example.com", name: "Park, Lee"),
            ])
        #expect(review.location == "Studio 2\nBroadway 1")
        #expect(review.starts == [F.utc(2026, 2, 3, 20)], "15:00 in New York")
        let birthday = events[1]
        #expect(birthday.isAllDay)
        #expect(birthday.starts == [F.utc(2026, 2, 14)])
    }

    @Test(
        "Outlook: Windows TZIDs (quoted or not), MAILTO in capitals, CDO all-day flag, tzone://Microsoft/Utc, a customized zone"
    )
    func outlook() throws {
        let events = try F.events("outlook.ics")
        try #require(events.count == 6)
        let budget = events[0]
        #expect(budget.starts == [F.utc(2026, 1, 20, 9)], "10:00 W. Europe Standard Time is 09:00 UTC in winter")
        #expect(budget.organizer == ICalendarParticipant(email: "dana.oster@example.com", name: "Oster, Dana"))
        #expect(
            budget.attendees == [
                ICalendarParticipant(email: "jonas.weiss@example.org", name: "Weiß, Jonas"),
                ICalendarParticipant(email: "priya@example.net", name: "Priya Nair"),
            ])
        #expect(budget.summary == "Budget review")
        #expect(budget.description == "Hi all,\n\nplease find the budget attached.")
        #expect(budget.uid?.hasPrefix("040000008200E00074C5B7101A82E008") == true)
        #expect(budget.uid?.hasSuffix("10000000A1B2C3D4E5F60718293A4B5C6D7E8F90") == true, "the folded UID is whole")
        #expect(events[1].starts == [F.utc(2026, 2, 10, 17)], "09:00 Pacific Standard Time")
        #expect(events[1].organizer?.email == "LEE.PARK@EXAMPLE.COM")
        #expect(events[2].isAllDay && events[2].occurrences.isEmpty, "tomorrow's holiday has not happened yet")
        #expect(events[3].isAllDay, "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE with midnight times")
        #expect(events[3].starts == [F.utc(2026, 1, 25, 23)])
        #expect(events[4].starts == [F.utc(2026, 2, 11, 15)], "tzone://Microsoft/Utc")
        #expect(events[5].starts == [F.utc(2026, 2, 12, 4)], "Customized Time Zone is +05:30 by its VTIMEZONE")
    }

    @Test("Thunderbird, Evolution, KOrganizer: libical TZID prefixes map to the IANA zone, VTIMEZONE after the events")
    func thunderbird() throws {
        let events = try F.events("thunderbird.ics", floatingZone: F.tokyo)
        try #require(events.count == 4)
        #expect(events[0].starts == [F.utc(2026, 1, 14, 14)], "/mozilla.org/20050126_1/America/New_York")
        #expect(events[0].organizer == ICalendarParticipant(email: "dana.oster@example.com", name: "Dana Oster"))
        #expect(events[0].attendeeEmails == ["jonas.weiss@example.org"])
        #expect(events[1].starts == [F.utc(2025, 7, 15, 13)], "London in summer is UTC+1")
        #expect(events[1].organizer?.email == "priya@example.net")
        #expect(events[2].starts == [F.utc(2026, 1, 16, 14)], "/softwarestudio.org/Olson_20011030_5/America/Chicago")
        #expect(events[3].starts == [F.utc(2026, 1, 17, 9)], "not floating in Tokyo")
    }
}
