import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Identifiers and dedup keys are sealed or hashed: marker strings put in each never reach the storage, and
/// equality still finds them (resolution, re-imports, duplicates of an identifier).
@Suite("Sealed identifiers")
struct SealedIdentifiersTests {
    struct Markers {
        let tag = UUID().uuidString.prefix(8).lowercased()
        var address: String { "addrmarker\(tag)@example.com" }
        var mailAddress: String { "mailmarker\(tag)@example.org" }
        /// A UK number that appears nowhere else: its normalized digits are the marker.
        let phone = "+44 20 7946 0\(Int.random(in: 100...999))"
        var phoneDigits: String { phone.filter(\.isNumber) }
        var profile: String { "https://www.linkedin.com/in/profilemarker-\(tag)" }
        var messageID: String { "msgidmarker\(tag)" }
        var uid: String { "uidmarker\(tag)" }
        var all: [String] {
            ["addrmarker\(tag)", "mailmarker\(tag)", phoneDigits, "profilemarker-\(tag)", messageID, uid]
        }
    }

    private func post(_ api: APIClient, _ path: String, _ body: [String: Any], token: String) async throws
        -> TestingHTTPResponse
    {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await api.app.testing().sendRequest(
            .POST, path, headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
            body: ByteBuffer(bytes: Array(data)))
    }

    /// Writes a person with an address, a number and a profile, a mail with a Message-ID and an interaction with
    /// a UID, all carrying markers; returns the signed-in token.
    private func write(_ markers: Markers, _ app: Application) async throws -> (token: String, personID: String) {
        let api = APIClient(app: app)
        try await api.signUp("owner@example.com", name: "Owner")
        let token = try await api.signIn("owner@example.com")
        let created = try await post(
            api, "/api/v1/people", ["name": "Ada Lovelace", "emails": [markers.address], "phones": [markers.phone]],
            token: token)
        #expect(created.status == .created, "\(created.body.string)")
        let personID = try #require(try api.object(created)["id"] as? String)
        let profile = try await api.send(
            .POST, "/api/v1/people/\(personID)/identities", body: ["kind": "profile_url", "value": markers.profile],
            token: token)
        #expect(profile.status == .created, "\(profile.body.string)")
        let meeting = try await api.send(
            .POST, "/api/v1/people/\(personID)/interactions",
            body: ["kind": "meeting", "occurred_at": "2026-03-03T10:00:00Z", "key": markers.uid], token: token)
        #expect(meeting.status == .created, "\(meeting.body.string)")

        let user = try #require(try await User.query(on: app.db).filter(\.$email == "owner@example.com").first())
        let mbox = ImportFixtures.mbox([
            ImportFixtures.Message(
                from: "Grace Hopper <\(markers.mailAddress)>", to: "owner@example.com", subject: "Compilers",
                messageID: "<\(markers.messageID)@mail.example>")
        ])
        let path = try ImportFixtures.write(mbox, name: "inbox.mbox")
        #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 1)
        // The same file again adds nothing: the hashed Message-ID still finds the mail.
        #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 0)
        return (token, personID)
    }

    @Test("Markers in addresses, numbers, profiles, Message-IDs and UIDs appear nowhere in the SQLite file or its WAL")
    func nothingInClearOnSQLite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-sealed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("loam.sqlite").path
        let markers = Markers()
        try await withLoamApp(adjust: { $0.database = .sqlite(path: database) }) { app in
            let api = APIClient(app: app)
            let (token, personID) = try await write(markers, app)
            var everything = ""
            for file in [database, database + "-wal"] {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                everything += String(decoding: bytes, as: UTF8.self)
            }
            for marker in markers.all {
                #expect(!everything.contains(marker), "\(marker) is in the database in clear")
            }
            // The scan reads the real storage: names stay in clear, so lists sort in the database.
            #expect(everything.contains("Ada Lovelace") && everything.contains("Grace Hopper"))
            // Their owner still reads every identifier, opened.
            let identities = try api.object(
                try await api.send(.GET, "/api/v1/people/\(personID)/identities", token: token))
            let values = Set((identities["items"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String })
            #expect(values.contains(markers.address) && values.contains("+44\(markers.phoneDigits.dropFirst(2))"))
            #expect(values.contains { $0.contains("profilemarker-\(markers.tag)") })
        }
    }

    @Test(
        "A PostgreSQL dump holds none of the markers",
        .enabled(if: testPostgresURL != nil && ProcessInfo.processInfo.environment["LOAM_TEST_PG_DUMP"] != nil))
    func nothingInClearOnPostgres() async throws {
        let markers = Markers()
        try await withLoamApp { app in
            _ = try await write(markers, app)
            let text = try ImportFixtures.postgresDump(app)
            #expect(text.contains("Ada Lovelace"), "the dump holds the rows")
            for marker in markers.all {
                #expect(!text.contains(marker), "\(marker) is in the dump in clear")
            }
        }
    }

    @Test(
        "Equality still finds a sealed identifier: the same address from a file joins the person; another user's does not"
    )
    func resolutionThroughTheIndex() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("owner@example.com", name: "Owner")
            let token = try await api.signIn("owner@example.com")
            _ = try await post(
                api, "/api/v1/people", ["name": "Dana Oster", "emails": ["dana@example.com"]], token: token)
            // The same address typed again, in another spelling: the same person (200, merged).
            let again = try await post(
                api, "/api/v1/people", ["name": "D. Oster", "emails": [" Dana@Example.COM "]], token: token)
            #expect(again.status == .ok, "\(again.body.string)")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "owner@example.com").first())
            let mbox = ImportFixtures.mbox([
                ImportFixtures.Message(from: "Dana <dana@example.com>", to: "owner@example.com", subject: "Hi")
            ])
            let path = try ImportFixtures.write(mbox, name: "inbox.mbox")
            let summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.peopleCreated == 0, "the address from the file found the person through its index")
            #expect(try await Person.query(on: app.db).count() == 1)

            // "Who do I know at example.com": the domain's index finds Dana without opening an address.
            let scope = try app.people(for: user)
            #expect(try await scope.people(atDomain: "Example.com").map(\.name) == ["Dana Oster"])
            #expect(try await scope.people(atDomain: "acme.com").isEmpty)

            // Another user's identical address is another index: their import makes their own person.
            try await api.signUp("other@example.com", name: "Other")
            let other = try #require(try await User.query(on: app.db).filter(\.$email == "other@example.com").first())
            #expect(try await app.imports(for: other).importFile(path: path, format: nil).peopleCreated >= 1)
            let danas = try await app.storedIdentities().filter { $0.value == "dana@example.com" }
            #expect(danas.count == 2, "one for each owner")
            #expect(Set(danas.map(\.row.value)).count == 2, "the same address gives each owner another index")
            #expect(danas.allSatisfy { $0.row.sealedValue != nil && $0.row.domainIndex != nil })
            // The other user's Dana is theirs alone: the owner's domain lookup still finds one person.
            #expect(try await scope.people(atDomain: "example.com").count == 1)
        }
    }
}
