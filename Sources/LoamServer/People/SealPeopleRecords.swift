import Fluent
import Foundation
import LoamKit
import SQLKit

/// Adds the columns of sealed identifiers (`sealed_value`, `domain_index`) and an index on the domain. Rows already
/// there are sealed by `SealPeopleRecordsJob`, in batches, while the server serves: this migration only queues it,
/// and only when there are rows to seal, so a new database never has legacy rows to look for.
struct SealIdentityValues: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(PersonIdentity.schema).field("sealed_value", .data).update()
        try await database.schema(PersonIdentity.schema).field("domain_index", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "person_identities_owner_domain").on(PersonIdentity.schema)
                .column("owner_id").column("domain_index").run()
        }
        // Plain SQL, not the models: a later migration may add model fields this one's tables do not have yet.
        guard let sql = database as? any SQLDatabase else { return }
        let hasIdentities = try await sql.raw("SELECT 1 FROM \(ident: PersonIdentity.schema) LIMIT 1").first() != nil
        let hasInteractions = try await sql.raw("SELECT 1 FROM \(ident: Interaction.schema) LIMIT 1").first() != nil
        if hasIdentities || hasInteractions {
            // The migrator has no job queue: the row it would write, written here; a worker picks it up.
            try await JobRecord(SealPeopleRecordsJob.self, payload: .init(), runAt: Date()).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "person_identities_owner_domain").run()
        }
        try await database.schema(PersonIdentity.schema).deleteField("domain_index").update()
        try await database.schema(PersonIdentity.schema).deleteField("sealed_value").update()
    }
}

/// Seals what was stored in clear before Step 12, a batch per run: identifiers (sealed, with their keyed index and
/// domain index) and then dedup keys (Message-IDs, UIDs, handle-and-day, as keyed hashes).
///
/// Each run takes one batch and commits it together with its own completion and the next run's job, so a worker
/// that stops mid-way leaves whole batches behind and the next run goes on from there; nothing holds a transaction
/// over a whole table, and the server serves meanwhile. Until the last run, writers also look for rows as they were
/// stored before (`isPending`), so nothing is added twice.
struct SealPeopleRecordsJob: JobHandler {
    struct Payload: Codable, Sendable {}

    static let kind = "people.seal-records"
    static let maxAttempts = 20
    static let identityBatch = 500
    static let interactionBatch = 2_000

    let keyring: Keyring
    let jobs: JobQueue

    /// Whether rows from before sealing may remain: a run of this job is queued, running, or gave up.
    static func isPending(on database: any Database) async throws -> Bool {
        try await JobRecord.query(on: database).filter(\.$kind == kind)
            .filter(\.$state ~~ [JobState.queued, .running, .dead]).first() != nil
    }

    func run(_ payload: Payload, context: JobContext) async throws {
        if try await sealIdentities(context) > 0 { return }
        if try await hashDedupKeys(context) > 0 { return }
        try await context.finish()
        context.logger.info("people records sealed: nothing left")
    }

    /// Seals one batch of identifiers; returns how many it took (0 when none are left).
    private func sealIdentities(_ context: JobContext) async throws -> Int {
        let rows = try await PersonIdentity.query(on: context.database).filter(\.$sealedValue == nil)
            .sort(\.$ownerID).limit(Self.identityBatch).all()
        guard !rows.isEmpty else { return 0 }
        var updates: [(row: PersonIdentity, index: String, sealed: Data, domain: String?)] = []
        for (ownerID, group) in Dictionary(grouping: rows, by: \.ownerID) {
            let owner = OwnerID.user(ownerID.lowercaseString)
            let cipher = try await keyring.fieldCipher(for: owner, on: context.database)
            let blindIndex = try await keyring.blindIndex(for: owner, on: context.database)
            for row in group {
                guard let kind = IdentityKind(rawValue: row.kind) else { continue }
                let identity = NormalizedIdentity(kind: kind, value: row.value)
                updates.append(
                    (
                        row, IdentityRecord.index(identity, blindIndex: blindIndex),
                        try IdentityRecord.seal(identity, rowID: try row.requireID(), owner: owner, cipher: cipher),
                        IdentityRecord.domainIndex(identity, blindIndex: blindIndex)
                    ))
            }
        }
        let unknownKinds = rows.filter { IdentityKind(rawValue: $0.kind) == nil }.compactMap(\.id)
        let jobs = self.jobs
        let planned = updates
        try await context.finish { tx in
            // The same identifiers already written sealed (a re-import while this job ran), in one query.
            let twins = Set(
                try await PersonIdentity.query(on: tx).filter(\.$ownerID ~~ Set(planned.map(\.row.ownerID)))
                    .filter(\.$value ~~ planned.map(\.index)).all().map { "\($0.ownerID) \($0.kind) \($0.value)" })
            for update in planned {
                let id = try update.row.requireID()
                // A twin makes the old row redundant: it goes.
                if twins.contains("\(update.row.ownerID) \(update.row.kind) \(update.index)") {
                    try await PersonIdentity.query(on: tx).filter(\.$id == id).delete()
                    continue
                }
                try await PersonIdentity.query(on: tx).filter(\.$id == id).filter(\.$sealedValue == nil)
                    .set(\.$value, to: update.index).set(\.$sealedValue, to: update.sealed)
                    .set(\.$domainIndex, to: update.domain).update()
            }
            // A kind this version does not know cannot be indexed; it is dropped rather than left in clear.
            if !unknownKinds.isEmpty {
                try await PersonIdentity.query(on: tx).filter(\.$id ~~ unknownKinds).delete()
            }
            try await jobs.enqueue(SealPeopleRecordsJob.self, Payload(), on: tx)
        }
        context.logger.info("people records sealed: identifiers", metadata: ["count": "\(rows.count)"])
        return rows.count
    }

    /// Hashes one batch of dedup keys; returns how many it took (0 when none are left).
    private func hashDedupKeys(_ context: JobContext) async throws -> Int {
        let sql = try context.database.sql()
        let rows = try await sql.raw(
            """
            SELECT id, person_id, owner_id, dedup_key FROM \(ident: Interaction.schema)
            WHERE dedup_key NOT LIKE 'h:%' ORDER BY owner_id LIMIT \(literal: Self.interactionBatch)
            """
        ).all()
        guard !rows.isEmpty else { return 0 }
        var updates: [(id: UUID, personID: UUID, key: String)] = []
        var blindIndexes: [UUID: BlindIndex] = [:]
        for row in rows {
            let ownerID = try row.decodeUUID(column: "owner_id")
            if blindIndexes[ownerID] == nil {
                blindIndexes[ownerID] = try await keyring.blindIndex(
                    for: .user(ownerID.lowercaseString), on: context.database)
            }
            let legacy = try row.decode(column: "dedup_key", as: String.self)
            updates.append(
                (
                    try row.decodeUUID(column: "id"), try row.decodeUUID(column: "person_id"),
                    InteractionRecord.hashedKey(legacy, blindIndex: blindIndexes[ownerID]!)
                ))
        }
        let jobs = self.jobs
        let planned = updates
        try await context.finish { tx in
            var touched: Set<UUID> = []
            // The same interactions already written with a hashed key (a re-import while this job ran), in a query
            // per 250: the old rows go, and their people's figures are counted again.
            let twins = Set(
                try await InteractionRecord.Stored.find(
                    planned.map { InteractionRecord.Stored.Pair($0.personID, $0.key) }, on: try tx.sql()
                ).map(\.pair))
            for update in planned {
                if twins.contains(.init(update.personID, update.key)) {
                    try await Interaction.query(on: tx).filter(\.$id == update.id).delete()
                    touched.insert(update.personID)
                    continue
                }
                try await Interaction.query(on: tx).filter(\.$id == update.id).set(\.$dedupKey, to: update.key).update()
            }
            if !touched.isEmpty { try await ContactStats.refresh(of: touched, on: tx) }
            try await jobs.enqueue(SealPeopleRecordsJob.self, Payload(), on: tx)
        }
        context.logger.info("people records sealed: dedup keys", metadata: ["count": "\(rows.count)"])
        return rows.count
    }
}
