import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// The batch writer writes new people at the end of a batch, lets the unique index drop interactions a person
/// already has, and adds to contact figures instead of recounting them. Each test below checks that what a user
/// sees afterwards is what the slow, obvious way gives.
@Suite("Import batches")
struct ImportBatchWriterTests {
    private static func date(day: Int) -> String {
        // Days from 1 January 2024, as an RFC 5322 date.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: 1_704_067_200 + Double(day) * 86_400))
    }

    @Test(
        "Contact figures after imports in pieces, across batches and with repeats, equal a recount of the interactions")
    func contactFiguresAddUp() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            // More messages than one batch holds, Dana on every third, others on a few; the second file has messages
            // before and after the first's, and repeats part of it.
            func message(_ index: Int) -> ImportFixtures.Message {
                let from = index % 3 == 0 ? "dana@example.com" : "person\(index % 40)@example.org"
                return .init(
                    from: from, to: "me@example.com", cc: index % 5 == 0 ? "bo@example.net" : nil,
                    subject: "Thread \(index % 17)",
                    date: Self.date(day: index), messageID: "<m\(index)@mail.example>")
            }
            let first = try ImportFixtures.write(ImportFixtures.mbox((300..<900).map(message)), name: "first.mbox")
            let second = try ImportFixtures.write(
                ImportFixtures.mbox((0..<300).map(message) + (800..<1_200).map(message)), name: "second.mbox")
            let one = try await app.imports(for: user).importFile(path: first, format: nil)
            let two = try await app.imports(for: user).importFile(path: second, format: nil)
            let total = try await Interaction.query(on: app.db).count()
            // One interaction per message with its sender, and one more with Bo on every fifth.
            #expect(total == 1_200 + 240)
            #expect(one.interactions == 600 + 120)
            #expect(two.interactions == total - one.interactions, "the 100 repeated messages add nothing")

            let people = try await Person.query(on: app.db).filter(\.$owner.$id == user.requireID()).all()
            #expect(people.count == 42, "Dana, Bo and forty others")
            for person in people {
                let rows = try await Interaction.query(on: app.db).filter(\.$person.$id == person.requireID()).all()
                #expect(person.interactionCount == rows.count, "\(person.name)")
                #expect(person.firstContactAt == rows.map(\.occurredAt).min(), "\(person.name)")
                #expect(person.lastContactAt == rows.map(\.occurredAt).max(), "\(person.name)")
            }
            let dana = try #require(people.first { $0.name == "Dana" })
            #expect(dana.interactionCount == 400, "every third of 1,200 messages")
        }
    }

    @Test(
        "A person created in a batch and named again later in the same batch gains the new identifiers and facts, once")
    func personGrowsWithinABatch() async throws {
        try await withLoamApp { app in
            let user = try await ImportFixtures.owner(app)
            let cards = """
                BEGIN:VCARD
                VERSION:3.0
                FN:Dana Oster
                EMAIL:dana@example.com
                END:VCARD
                BEGIN:VCARD
                VERSION:3.0
                FN:Dana O.
                EMAIL:dana@example.com
                EMAIL:dana@work.example
                ORG:Initech
                END:VCARD
                BEGIN:VCARD
                VERSION:3.0
                FN:Someone Else
                EMAIL:dana@work.example
                TITLE:CTO
                END:VCARD

                """
            let summary = try await app.imports(for: user).importFile(
                path: try ImportFixtures.write(cards, name: "contacts.vcf"), format: nil)
            #expect(summary.peopleCreated == 1)
            #expect(summary.peopleUpdated == 0, "a person this import created counts once, as created")
            #expect(summary.identities == 2)
            let people = try await Person.query(on: app.db).all()
            let dana = try #require(people.first)
            #expect(people.count == 1)
            #expect(dana.name == "Dana Oster", "the first card's name; later cards only fill gaps")
            #expect(dana.company == "Initech" && dana.title == "CTO")
            let identities = try await app.storedIdentities()
            #expect(Set(identities.map(\.value)) == ["dana@example.com", "dana@work.example"])
            #expect(identities.allSatisfy { $0.personID == dana.id })
        }
    }
}
