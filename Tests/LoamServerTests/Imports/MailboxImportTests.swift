import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Importing a mailbox")
struct MailboxImportTests {
    @Test(
        "Headers become people and sealed mail interactions; bulk mail makes nobody; the same file again adds nothing")
    func importsAndIsIdempotent() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let text = ImportFixtures.mbox([
                .init(
                    from: "\"Oster, Dana\" <Dana@Example.com>", to: "Me <me@example.com>", cc: "bo@example.org",
                    subject: "Lunch on Friday?"),
                .init(
                    from: "Me <me@example.com>", to: "dana@example.com", subject: "Re: Lunch on Friday?",
                    date: "Wed, 04 Mar 2026 09:00:00 +0100"),
                .init(
                    from: "News <news@shop.example>", to: "me@example.com", subject: "Sale!",
                    extra: ["List-Unsubscribe: <mailto:u@shop.example>"]),
                .init(from: "noreply@service.example", to: "me@example.com", subject: "Your receipt"),
                .init(from: "carl@example.net", to: "me@example.com", subject: "No id here", messageID: nil),
            ])
            let path = try ImportFixtures.write(text, name: "Takeout.mbox")
            let first = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(first.format == "mbox")
            #expect(first.peopleCreated == 3, "Dana, Bo and Carl; never the importer, a list or a no-reply sender")
            #expect(first.ignored == 2)
            #expect(first.interactions == 4, "Dana twice, Bo once, Carl once")
            #expect(first.skipped.isEmpty)

            let scope = try app.people(for: user)
            let (people, _) = try await scope.list(PeopleListOptions())
            #expect(people.map(\.name) == ["Bo", "Carl", "Oster, Dana"])
            let dana = try #require(people.first { $0.name == "Oster, Dana" })
            #expect(dana.interactionCount == 2)
            let (timeline, _) = try await scope.timeline(
                of: try dana.requireID(), oldestFirst: true, cursor: nil, limit: 10)
            #expect(timeline.map(\.subject) == ["Lunch on Friday?", "Re: Lunch on Friday?"])
            #expect(
                try await app.storedIdentities().first { $0.value == "dana@example.com" }?.source
                    == "mbox:Takeout.mbox")

            let again = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(
                again.peopleCreated == 0 && again.peopleUpdated == 0 && again.identities == 0 && again.interactions == 0
            )
            #expect(try await Person.query(on: app.db).count() == 3)
            #expect(try await Interaction.query(on: app.db).count() == 4)
        }
    }

    @Test("A file of another format, a binary file and a missing file each give a clear error and change nothing")
    func badFiles() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let binary = try ImportFixtures.write(
                String(decoding: [0, 159, 146, 150, 1, 2], as: UTF8.self), name: "photo.jpg")
            for (path, words) in [(binary, "not a file Loam can import"), ("/nonexistent/file.mbox", "cannot open")] {
                do {
                    _ = try await app.imports(for: user).importFile(path: path, format: nil)
                    Issue.record("\(path) imported")
                } catch let error as ImportError {
                    #expect(error.description.contains(words), "\(error)")
                }
            }
            let mbox = try ImportFixtures.write(
                ImportFixtures.mbox([.init(from: "a@example.com", to: "me@example.com", subject: "x")]),
                name: "mail.txt")
            await #expect(throws: ImportError.self) {
                try await app.imports(for: user).importFile(path: mbox, format: .vcard)
            }
            #expect(try await Person.query(on: app.db).count() == 0)
        }
    }

    @Test("A message without a Date is dated by its envelope and says so; a bounce from the null sender makes nobody")
    func undatedAndBounces() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let text = """
                From dana@example.com Tue Mar  3 10:15:00 2026
                From: Dana <dana@example.com>
                To: me@example.com
                Subject: sent without a Date

                Hello.

                From MAILER-DAEMON Tue Mar  3 10:16:00 2026
                From: MAILER DAEMON <>
                To: eve@example.com
                Subject: Undelivered Mail Returned to Sender

                The message could not be delivered.

                """
            let path = try ImportFixtures.write(text, name: "edge.mbox")
            let summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.datedFromEnvelope == 1 && summary.datedFromReceived == 0)
            #expect(summary.interactions == 1 && summary.skipped.isEmpty)
            #expect(summary.ignored == 1, "the bounce is a machine's")
            let names = try await Person.query(on: app.db).all().map(\.name)
            #expect(names == ["Dana"], "the bounced recipient is not someone the owner knows")
            #expect(summary.jsonLine().contains("\"dated_from_envelope\":1"))
        }
    }

    @Test("Private: subjects and bodies with marker strings appear nowhere in the SQLite file or its WAL")
    func nothingInClear() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("loam.sqlite").path
        let subjectMarker = "SUBJECTMARKER\(UUID().uuidString.prefix(8))"
        let bodyMarker = "BODYMARKER\(UUID().uuidString.prefix(8))"
        try await withLoamApp(adjust: { $0.database = .sqlite(path: database) }) { app in
            let user = try await ImportFixtures.owner(app)
            let messages = (0..<20).map {
                ImportFixtures.Message(
                    from: "friend\($0)@example.com", to: "me@example.com", subject: "\(subjectMarker) plans \($0)",
                    body: "\(bodyMarker) the body stays out\n")
            }
            let path = try ImportFixtures.write(ImportFixtures.mbox(messages), name: "private.mbox")
            let summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.interactions == 20)
            var everything = ""
            for file in [database, database + "-wal"] {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!text.contains(subjectMarker), "\(file) holds a subject in clear")
                #expect(!text.contains(bodyMarker), "\(file) holds a body")
                everything += text
            }
            // Addresses are sealed too, found through their keyed index; the names made from them stay in clear
            // (so lists sort in the database), which shows the check reads the real storage.
            #expect(!everything.contains("friend3@example.com"), "an address is in the database in clear")
            #expect(everything.contains("Friend3"))
        }
    }

    @Test(
        "Private: a PostgreSQL dump of the imported data holds no subject or body marker",
        .enabled(if: testPostgresURL != nil && ProcessInfo.processInfo.environment["LOAM_TEST_PG_DUMP"] != nil))
    func nothingInClearOnPostgres() async throws {
        let subjectMarker = "SUBJECTMARKER\(UUID().uuidString.prefix(8))"
        let bodyMarker = "BODYMARKER\(UUID().uuidString.prefix(8))"
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let messages = (0..<10).map {
                ImportFixtures.Message(
                    from: "friend\($0)@example.com", to: "me@example.com", subject: "\(subjectMarker) plans \($0)",
                    body: "\(bodyMarker)\n")
            }
            let path = try ImportFixtures.write(ImportFixtures.mbox(messages), name: "private.mbox")
            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 10)
            let text = try ImportFixtures.postgresDump(app)
            #expect(text.contains("Friend3"), "the dump holds the imported rows")
            #expect(!text.contains("friend3@example.com"), "an address is in the dump in clear")
            #expect(!text.contains(subjectMarker))
            #expect(!text.contains(bodyMarker))
        }
    }
}
