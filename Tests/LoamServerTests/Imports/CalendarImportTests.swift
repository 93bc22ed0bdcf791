import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Importing a calendar")
struct CalendarImportTests {
    /// 20 March 2026, noon UTC: what "now" is for these imports.
    static let now = Date(timeIntervalSince1970: 1_774_008_000)
    static let titleMarker = "TITLEMARKER\(UUID().uuidString.prefix(8))"
    static let descriptionMarker = "DESCMARKER\(UUID().uuidString.prefix(8))"

    static let calendar = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Google Inc//Google Calendar 70.9054//EN
        BEGIN:VEVENT
        DTSTART:20260302T090000Z
        DTEND:20260302T100000Z
        UID:kickoff-1@google.com
        ORGANIZER;CN=Dana Oster:mailto:dana@example.com
        ATTENDEE;CN="Quell, Mira";PARTSTAT=ACCEPTED:mailto:mira@example.org
        ATTENDEE;PARTSTAT=DECLINED;CN=Nope:mailto:nope@example.org
        ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@example.com
        ATTENDEE;CN=Me:MAILTO:me@example.com
        SUMMARY:\(titleMarker) kickoff
        DESCRIPTION:\(descriptionMarker) agenda
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;TZID=Europe/Berlin:20260302T100000
        RRULE:FREQ=WEEKLY;COUNT=10
        EXDATE;TZID=Europe/Berlin:20260309T100000
        UID:weekly-2@google.com
        ORGANIZER:mailto:me@example.com
        ATTENDEE:mailto:lee@example.net
        SUMMARY:Weekly
        END:VEVENT
        BEGIN:VEVENT
        UID:weekly-2@google.com
        RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000
        DTSTART;TZID=Europe/Berlin:20260316T150000
        ORGANIZER:mailto:me@example.com
        ATTENDEE:mailto:lee@example.net
        SUMMARY:Weekly (moved)
        END:VEVENT
        BEGIN:VEVENT
        UID:cancelled-3
        STATUS:CANCELLED
        DTSTART:20260305T090000Z
        ATTENDEE:mailto:gone@example.org
        END:VEVENT
        BEGIN:VEVENT
        UID:future-4
        DTSTART:20270101T090000Z
        ATTENDEE:mailto:later@example.org
        END:VEVENT
        BEGIN:VEVENT
        UID:alone-5
        DTSTART:20260304T090000Z
        SUMMARY:Dentist
        END:VEVENT
        BEGIN:VEVENT
        UID:broken-6
        SUMMARY:no start
        ATTENDEE:mailto:x@example.org
        END:VEVENT
        END:VCALENDAR

        """.replacingOccurrences(of: "\n", with: "\r\n")

    @Test(
        "Organizers and attendees who took part become people; each past occurrence a sealed meeting; the same file again adds nothing"
    )
    func importsAndIsIdempotent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("loam.sqlite").path
        try await withLoamApp(adjust: { $0.database = .sqlite(path: database) }, clock: LoamClock { Self.now }) { app in
            let user = try await ImportFixtures.owner(app)
            let path = try ImportFixtures.write(Self.calendar, name: "calendar.ics")
            let summary = try await app.imports(for: user).importFile(path: path, format: .ics)
            #expect(summary.format == "ics")
            #expect(summary.peopleCreated == 3, "Dana, Mira and Lee; not the one who declined, the room, or me")
            #expect(
                summary.interactions == 4,
                "the kickoff with two people; the weekly's first instance and its moved third (the second was removed)")
            #expect(summary.ignored == 3, "cancelled, still to come, nobody else there")
            #expect(summary.skipped.count == 1)
            #expect(summary.skipped.first?.line != nil)

            let people = try await Person.query(on: app.db).all()
            #expect(Set(people.map(\.name)) == ["Dana Oster", "Quell, Mira", "Lee"])
            let lee = try #require(people.first { $0.name == "Lee" })
            let meetings = try await Interaction.query(on: app.db).filter(\.$person.$id == lee.requireID()).sort(
                \.$occurredAt
            ).all()
            #expect(meetings.map(\.kind) == ["meeting", "meeting"])
            // 10:00 and the moved 15:00 in Berlin, before summer time: 09:00 and 14:00 UTC.
            #expect(
                meetings.map(\.occurredAt) == [
                    ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z")!,
                    ISO8601DateFormatter().date(from: "2026-03-16T14:00:00Z")!,
                ])

            let again = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(
                again.peopleCreated == 0 && again.peopleUpdated == 0 && again.interactions == 0 && again.identities == 0
            )
            #expect(try await Interaction.query(on: app.db).count() == 4)

            // Titles and descriptions are sealed: not in the database file or its WAL.
            var everything = ""
            for file in [database, database + "-wal"] {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!text.contains(Self.titleMarker), "\(file) holds a meeting title in clear")
                #expect(!text.contains(Self.descriptionMarker), "\(file) holds a description in clear")
                everything += text
            }
            #expect(!everything.contains("lee@example.net"), "an attendee's address is in the database in clear")
            #expect(everything.contains("Mira"), "names stay in clear: the check reads the real storage")
        }
    }

    @Test("The timeline opens the sealed title for its owner")
    func timelineShowsTitle() async throws {
        try await withLoamApp(clock: LoamClock { Self.now }) { app in
            let user = try await ImportFixtures.owner(app)
            let path = try ImportFixtures.write(Self.calendar, name: "calendar.ics")
            _ = try await app.imports(for: user).importFile(path: path, format: nil)
            let scope = try app.people(for: user)
            let dana = try #require(try await Person.query(on: app.db).filter(\.$name == "Dana Oster").first())
            let timeline = try await scope.timeline(of: dana.requireID(), oldestFirst: true, cursor: nil, limit: 10)
            #expect(timeline.items.count == 1)
            #expect(timeline.items.first?.subject == "\(Self.titleMarker) kickoff")
            #expect(timeline.items.first?.description == "\(Self.descriptionMarker) agenda")
            #expect(timeline.items.first?.kind == .meeting)
        }
    }

    @Test(
        "Private: a PostgreSQL dump of the imported calendar holds no title or description",
        .enabled(if: testPostgresURL != nil && ProcessInfo.processInfo.environment["LOAM_TEST_PG_DUMP"] != nil))
    func nothingInClearOnPostgres() async throws {
        try await withLoamApp(clock: LoamClock { Self.now }) { app in
            let user = try await ImportFixtures.owner(app)
            let path = try ImportFixtures.write(Self.calendar, name: "calendar.ics")
            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 4)
            let text = try ImportFixtures.postgresDump(app)
            #expect(text.contains("Mira"), "the dump holds the imported rows")
            #expect(!text.contains("lee@example.net"), "an attendee's address is in the dump in clear")
            #expect(!text.contains(Self.titleMarker))
            #expect(!text.contains(Self.descriptionMarker))
        }
    }
}
