import Fluent
import Foundation
import LoamKit
import Testing
import Vapor

@testable import LoamServer

/// A mail keeps who was in From, To, Cc and Bcc and whether the owner sent it; a meeting its organizer and its
/// attendees with their answers. Opened for the owner only (sealed like subjects).
@Suite("Roles and direction")
struct InteractionRolesTests {
    private func timeline(_ app: Application, _ user: User, of name: String) async throws -> [OpenedInteraction] {
        let person = try #require(try await Person.query(on: app.db).filter(\.$name == name).first())
        return try await app.people(for: user).timeline(
            of: try person.requireID(), oldestFirst: true, cursor: nil, limit: 50
        ).items
    }

    @Test("Mail: each participant's role, and sent or received")
    func mailRoles() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let mbox = ImportFixtures.mbox([
                ImportFixtures.Message(
                    from: "Dana <dana@example.com>", to: "me@example.com", cc: "Eve <eve@example.com>",
                    subject: "Received", date: "Tue, 03 Mar 2026 10:15:00 +0100"),
                ImportFixtures.Message(
                    from: "Me <me@example.com>", to: "Dana <dana@example.com>", subject: "Sent",
                    date: "Wed, 04 Mar 2026 10:15:00 +0100", extra: ["Bcc: lee@example.com"]),
            ])
            let path = try ImportFixtures.write(mbox, name: "roles.mbox")
            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 4)
            let dana = try await timeline(app, user, of: "Dana")
            #expect(dana.map(\.direction) == [.received, .sent])
            #expect(
                dana.first?.participants == [
                    .init(address: "dana@example.com", role: "from"), .init(address: "eve@example.com", role: "cc"),
                ])
            #expect(
                dana.last?.participants == [
                    .init(address: "dana@example.com", role: "to"), .init(address: "lee@example.com", role: "bcc"),
                ])
            // The owner's own address is never a participant: the direction says where they stood.
            #expect(!(dana.flatMap { $0.participants ?? [] }.contains { $0.address == "me@example.com" }))
        }
    }

    @Test("Importing again fills the roles of interactions stored before roles were kept, and adds nothing")
    func reimportFillsRoles() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let mbox = ImportFixtures.mbox([
                ImportFixtures.Message(
                    from: "Dana <dana@example.com>", to: "me@example.com", cc: "eve@example.com", subject: "Hello")
            ])
            let path = try ImportFixtures.write(mbox, name: "again.mbox")
            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 2)
            // As rows written before this version: an attendee list, no roles.
            for row in try await Interaction.query(on: app.db).all() {
                #expect(row.sealedRoles != nil)
                row.sealedRoles = nil
                try await row.save(on: app.db)
            }
            #expect(try await timeline(app, user, of: "Dana").first?.participants == nil)

            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 0)
            let dana = try await timeline(app, user, of: "Dana")
            #expect(dana.count == 1)
            #expect(dana.first?.direction == .received)
            #expect(
                dana.first?.participants == [
                    .init(address: "dana@example.com", role: "from"), .init(address: "eve@example.com", role: "cc"),
                ])
        }
    }

    @Test("Meetings: the organizer, and each attendee with their answer")
    func meetingRoles() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let ics = """
                BEGIN:VCALENDAR
                VERSION:2.0
                BEGIN:VEVENT
                DTSTART:20260302T090000Z
                DTEND:20260302T100000Z
                UID:roles-1@example.com
                ORGANIZER;CN=Dana Oster:mailto:dana@example.com
                ATTENDEE;CN=Mira;PARTSTAT=TENTATIVE:mailto:mira@example.org
                ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com
                SUMMARY:Planning
                END:VEVENT
                END:VCALENDAR

                """
            let path = try ImportFixtures.write(ics, name: "roles.ics")
            #expect(try await app.imports(for: user).importFile(path: path, format: nil).interactions == 2)
            let mira = try await timeline(app, user, of: "Mira")
            #expect(mira.first?.direction == nil)
            #expect(
                mira.first?.participants == [
                    .init(address: "dana@example.com", role: "organizer"),
                    .init(address: "mira@example.org", role: "attendee", answer: "tentative"),
                ])
        }
    }
}
