import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Importing iMessage counts from chat.db")
struct MessageCountImportTests {
    static let marker = "TEXTMARKER\(UUID().uuidString.prefix(8))"

    @Test(
        "Counts per person per day become message interactions; the number joins the person a vCard made; no text reaches Loam; again adds nothing"
    )
    func importsCounts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-imessage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("loam.sqlite").path
        let chat = try await ChatDatabaseFixture.make()
        let dana = try await chat.handle("+15555550100")
        let mira = try await chat.handle("mira@example.org")
        let room = try await chat.chat("chat1", participants: [dana])
        for hour in [9, 10, 11] {
            try await chat.message(
                handle: dana, date: ChatDatabaseFixture.appleDate(2026, 3, 2, hour), fromMe: hour == 10, chat: room,
                text: "\(Self.marker) \(hour)")
        }
        try await chat.message(
            handle: mira, date: ChatDatabaseFixture.appleDate(2026, 3, 3, 8, nanoseconds: false), fromMe: false,
            chat: nil, text: Self.marker)
        try await chat.close()

        try await withLoamApp(adjust: { $0.database = .sqlite(path: database) }) { app in
            try await APIClient(app: app).signUp("me@example.com", name: "Me Myself")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "me@example.com").first())
            let card = try ImportFixtures.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Oster\r\nTEL:+1 555 555 0100\r\nEND:VCARD\r\n", name: "dana.vcf")
            _ = try await app.imports(for: user).importFile(path: card, format: nil)

            let summary = try await app.imports(for: user).importFile(path: chat.path, format: nil)
            #expect(summary.format == "imessage")
            #expect(summary.peopleCreated == 1, "Mira is new; Dana's number was already hers")
            #expect(summary.interactions == 2)
            let danaPerson = try #require(try await Person.query(on: app.db).filter(\.$name == "Dana Oster").first())
            let days = try await Interaction.query(on: app.db).filter(\.$person.$id == danaPerson.requireID()).all()
            #expect(days.map(\.kind) == ["message"])
            #expect(days.first?.count == 3)
            #expect(days.first?.occurredAt == ISO8601DateFormatter().date(from: "2026-03-02T00:00:00Z"))

            let again = try await app.imports(for: user).importFile(path: chat.path, format: .imessage)
            #expect(again.peopleCreated == 0 && again.interactions == 0)

            for file in [database, database + "-wal"] {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.marker), "\(file) holds message text")
            }
        }
    }

    @Test("A chat.db uploaded on the Imports page is refused with the way to import it")
    func uploadRefused() async throws {
        let chat = try await ChatDatabaseFixture.make()
        try await chat.close()
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/imports")
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: chat.path)))
            let refused = try await browser.upload("/imports", file: ("chat.db", bytes))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("loam import"))
            #expect(try await ImportRun.query(on: app.db).count() == 0)
        }
    }
}
