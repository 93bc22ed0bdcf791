import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Importing LinkedIn, Google, Facebook and X exports: the file, the unpacked folder or the zip")
struct ContactListImportTests {
    static func fixture(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(path).path
    }

    @Test(
        "LinkedIn connections: company and position become facts, the profile an identity, Connected On a social interaction; again adds nothing"
    )
    func linkedIn() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let summary = try await app.imports(for: user).importFile(
                path: Self.fixture("csv/linkedin-current.csv"), format: nil)
            #expect(summary.format == "linkedin")
            #expect(summary.peopleCreated >= 4)
            #expect(summary.skipped.contains { $0.line != nil }, "the row naming nobody is reported with its line")
            let dana = try #require(try await Person.query(on: app.db).filter(\.$name == "Dana Okafor").first())
            #expect(dana.company == "Acme Robotics" && dana.title == "Head of Product")
            #expect(dana.companySource == "linkedin:linkedin-current.csv")
            let identities = try await app.storedIdentities(of: dana.requireID()).map(\.value)
            #expect(identities.contains("dana.okafor@example.com"))
            #expect(identities.contains { $0.contains("linkedin.com/in/dana-okafor-4b1a2c") })
            let social = try await Interaction.query(on: app.db).filter(\.$person.$id == dana.requireID()).all()
            #expect(social.map(\.kind) == ["social"])
            #expect(social.first?.occurredAt == ISO8601DateFormatter().date(from: "2025-12-05T00:00:00Z"))
            #expect(
                try await Person.query(on: app.db).filter(\.$name == "Émile Zoë").first()?.company
                    == "Blue Harbor, Inc.")

            let again = try await app.imports(for: user).importFile(
                path: Self.fixture("csv/linkedin-current.csv"), format: .linkedin)
            #expect(
                again.peopleCreated == 0 && again.peopleUpdated == 0 && again.identities == 0 && again.interactions == 0
            )
        }
    }

    @Test("Google contacts CSV adds to the person a vCard already made, by address; multi-values become identities")
    func googleCSV() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let card = try ImportFixtures.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana O.\r\nEMAIL:dana.okafor@example.com\r\nEND:VCARD\r\n",
                name: "one.vcf")
            _ = try await app.imports(for: user).importFile(path: card, format: nil)
            let summary = try await app.imports(for: user).importFile(
                path: Self.fixture("csv/google-current.csv"), format: nil)
            #expect(summary.format == "google-csv")
            #expect(summary.peopleUpdated >= 1, "Dana's row names the card's address")
            let danas = try await Person.query(on: app.db).filter(\.$name ~~ "Dana").all()
            #expect(danas.count == 1)
            #expect(danas.first?.company == "Acme Robotics", "a gap filled from the CSV")
            let jo = try #require(try await Person.query(on: app.db).filter(\.$name ~~ "Marsh").first())
            let values = Set(
                try await app.storedIdentities(of: jo.requireID()).map(\.value))
            #expect(values.isSuperset(of: ["jo@example.org", "jo.marsh@example.com"]))
            #expect(values.filter { $0.hasPrefix("+44") }.count == 2)
        }
    }

    @Test(
        "Facebook: the downloaded zip and the unpacked folder find your_friends.json at any depth; names are repaired; friendship dates kept"
    )
    func facebook() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let zip = try await app.imports(for: user).importFile(
                path: Self.fixture("facebook/facebook-export.zip"), format: nil)
            #expect(zip.format == "facebook")
            #expect(zip.file.hasSuffix("facebook-export.zip"))
            #expect(zip.peopleCreated > 0)
            #expect(
                zip.interactions == zip.peopleCreated - 1,
                "each friend has the date of the friendship but one whose timestamp is 0 (unknown)")
            let again = try await app.imports(for: user).importFile(
                path: Self.fixture("facebook/facebook-export.zip"), format: nil)
            #expect(
                again.peopleCreated == 0 && again.interactions == 0,
                "friends have no identifier, yet a re-import adds nobody twice")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-fb-\(UUID().uuidString)")
            let friends = folder.appendingPathComponent("facebook-dana-2026-11-30/connections/friends")
            try FileManager.default.createDirectory(at: friends, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: Self.fixture("facebook/your_friends.json"),
                toPath: friends.appendingPathComponent("your_friends.json").path)
            let unpacked = try await app.imports(for: user).importFile(path: folder.path, format: .facebook)
            #expect(unpacked.format == "facebook")
            #expect(
                try await Person.query(on: app.db).filter(\.$name == "José Martínez").first() != nil,
                "mojibake repaired")
            #expect(try await Person.query(on: app.db).filter(\.$name == "JosÃ© MartÃ\u{AD}nez").first() == nil)
        }
    }

    @Test(
        "X archive: following (with its -part files from the manifest) and followers; account ids become identities, one person per account"
    )
    func xArchive() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let summary = try await app.imports(for: user).importFile(path: Self.fixture("x/archive"), format: nil)
            #expect(summary.format == "x")
            // Accounts 12, 783214, 1234567890123456789, 2244994945 (part 1) followed; 12 and 99887766 follow.
            #expect(summary.peopleCreated == 5)
            let ids = Set(try await app.storedIdentities().filter { $0.kind == "source_id" }.map(\.value))
            #expect(ids == ["x:12", "x:783214", "x:1234567890123456789", "x:2244994945", "x:99887766"])
            #expect(try await Person.query(on: app.db).filter(\.$name == "X account 2244994945").first() != nil)
            let zip = try await app.imports(for: user).importFile(path: Self.fixture("x/x-archive.zip"), format: .x)
            #expect(zip.peopleCreated == 0 && zip.identities == 0, "the same archive zipped adds nothing")
        }
    }

    @Test("A folder that holds no export, one of several, or a format it is not: a clear error, nothing imported")
    func refusals() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let empty = FileManager.default.temporaryDirectory.appendingPathComponent("loam-empty-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            await #expect(throws: ImportError.self) {
                try await app.imports(for: user).importFile(path: empty.path, format: nil)
            }
            await #expect(throws: ImportError.self) {
                try await app.imports(for: user).importFile(path: Self.fixture("x/archive"), format: .mbox)
            }
            await #expect(throws: ImportError.self) {
                try await app.imports(for: user).importFile(
                    path: Self.fixture("csv/linkedin-current.csv"), format: .googleCSV)
            }
            #expect(try await Person.query(on: app.db).count() == 0)
        }
    }

    @Test("Upload a Facebook zip on the Imports page: found inside the sealed spool, imported by the job")
    func uploadZip() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/imports")
            let bytes = [UInt8](
                try Data(contentsOf: URL(fileURLWithPath: Self.fixture("facebook/facebook-export.zip"))))
            let posted = try await browser.upload("/imports", file: ("facebook-dana.zip", bytes))
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            #expect(try await app.jobs.drain(kinds: [ImportUploadJob.kind]) == 1)
            let page = try await browser.get(posted.headers.first(name: .location) ?? "")
            #expect(page.body.string.contains("Done"), "\(page.body.string)")
            #expect(try await Person.query(on: app.db).filter(\.$name == "Dana Whitfield").first() != nil)
        }
    }
}
