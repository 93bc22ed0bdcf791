import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor

@testable import LoamServer

/// A database written before identifiers were sealed: its rows are sealed by a job, a batch per run, while writes
/// go on; nothing is added twice before, during or after.
@Suite("Sealing earlier rows")
struct SealPeopleRecordsJobTests {
    @Test("Rows from before sealing are sealed in batches by a resumable job; imports meanwhile add nothing twice")
    func sealsLegacyRows() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("owner@example.com", name: "Owner")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "owner@example.com").first())
            let userID = try user.requireID()
            let now = Date()

            // Rows exactly as the code before this step wrote them: identifiers and dedup keys in clear.
            let dana = Person(
                ownerID: userID, name: "Dana Oster", company: nil, title: nil, source: "mbox:old.mbox", at: now)
            try await dana.create(on: app.db)
            let danaID = try dana.requireID()
            let legacyCount = SealPeopleRecordsJob.identityBatch + 20
            for index in 0..<legacyCount {
                try await PersonIdentity(
                    personID: danaID, ownerID: userID, kind: "email", value: "dana\(index)@example.com",
                    source: "mbox:old.mbox", seenAt: now
                ).create(on: app.db)
            }
            try await Interaction(
                id: UUID(), personID: danaID, ownerID: userID, kind: .mail, occurredAt: now, source: "mbox:old.mbox",
                dedupKey: "k:mid:legacy-id@mail.example", count: 1
            ).create(on: app.db)
            try await ContactStats.refresh(of: danaID, on: app.db)
            // What the migration queues on a database that has rows.
            try await JobRecord(SealPeopleRecordsJob.self, payload: .init(), runAt: now).create(on: app.db)
            #expect(try await SealPeopleRecordsJob.isPending(on: app.db))

            // Before the job ran: the same mail again finds the person and the interaction as they were stored.
            let mbox = ImportFixtures.mbox([
                ImportFixtures.Message(
                    from: "Dana <dana0@example.com>", to: "owner@example.com", subject: "Old news",
                    messageID: "<legacy-id@mail.example>")
            ])
            let path = try ImportFixtures.write(mbox, name: "again.mbox")
            var summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.peopleCreated == 0 && summary.interactions == 0)

            // One batch, as a worker that stopped after it would leave it: the rest is still in clear.
            #expect(try await app.jobs.runNext(kinds: [SealPeopleRecordsJob.kind]))
            let half = try await PersonIdentity.query(on: app.db).all()
            #expect(half.filter { $0.sealedValue == nil }.count == 20)
            #expect(try await SealPeopleRecordsJob.isPending(on: app.db), "the next batch is queued")

            // The rest, run after run, until none is left.
            var runs = 1
            while try await app.jobs.runNext(kinds: [SealPeopleRecordsJob.kind]) { runs += 1 }
            #expect(runs >= 3, "identifiers, then dedup keys, then the run that finds nothing")
            #expect(try await !SealPeopleRecordsJob.isPending(on: app.db))

            let rows = try await PersonIdentity.query(on: app.db).all()
            #expect(rows.count == legacyCount, "nothing added twice, nothing lost")
            #expect(rows.allSatisfy { $0.sealedValue != nil && !$0.value.contains("@") && $0.domainIndex != nil })
            #expect(Set(try await app.storedIdentities().map(\.value)).contains("dana7@example.com"))
            let interactions = try await Interaction.query(on: app.db).all()
            #expect(interactions.count == 1)
            #expect(interactions.allSatisfy { $0.dedupKey.hasPrefix("h:") })

            // After: the same mail still adds nothing, now through the hashed key and the index.
            summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.peopleCreated == 0 && summary.interactions == 0)
            let person = try #require(try await Person.find(danaID, on: app.db))
            #expect(person.interactionCount == 1)
        }
    }
}
