import Fluent
import Foundation
import LoamKit
import SQLKit

/// Writes many facts about one user's people inside one transaction: what imports (and later syncs) use.
///
/// It applies the same rules as the API: a hard identifier that already names one of the user's people
/// adds to that person, never a name alone; facts already there (above all the user's own) win, only gaps
/// are filled; interactions are sealed and keyed so nothing is added twice.
///
/// Interactions are held until `finish()`, which writes them as multi-row inserts that leave out the keys a
/// person already has (the unique index decides, no query first), adds search tokens for the rows really
/// inserted, and adds them to every touched person's contact figures in one statement: an import costs a handful of
/// statements per batch, not several per message.
struct PeopleBatchWriter {
    let tx: any Database
    let ownerID: UUID
    let owner: OwnerID
    let cipher: FieldCipher
    let blindIndex: BlindIndex
    let now: Date
    let source: String
    /// Rows from before identifiers and dedup keys were sealed may remain (`SealPeopleRecordsJob` has not finished):
    /// lookups then also look for them as those rows hold them.
    let legacyRowsPossible: Bool
    /// Which person each identifier names, as far as the batch has looked (`prefetch`) or written.
    private var owners: [NormalizedIdentity: UUID] = [:]
    /// Identifiers known to name nobody yet.
    private var unowned: Set<NormalizedIdentity> = []
    /// Interactions waiting for `finish()`, and their keys by person (a key twice in one batch is one interaction).
    private var pending: [(personID: UUID, key: String, interaction: NewInteraction, prepared: PreparedInteraction?)] =
        []
    private var pendingKeys: [UUID: Set<String>] = [:]
    /// People created by this batch, written by `finish()` (before the interactions that name them).
    private var newPeople: [UUID: Person] = [:]
    private var newPeopleOrder: [UUID] = []
    /// Identifiers gained in this batch, written by `finish()` too, and which person each joins.
    private var newIdentities: [(personID: UUID, identity: NormalizedIdentity)] = []
    private var newIdentitiesByPerson: [UUID: [NormalizedIdentity]] = [:]

    /// Rows per multi-row INSERT: well inside SQLite's and PostgreSQL's limits on bound parameters.
    static let insertChunk = 200

    /// The columns the multi-row INSERTs write, in the order of their values: every field of the model, which
    /// `PeopleBatchWriterColumnTests` checks against `Person.keys`, `Interaction.keys` and `PersonIdentity.keys`.
    static let personColumns = [
        "id", "created_at", "updated_at", "owner_id", "name", "sort_name", "company", "title", "is_favourite",
        "archived_at", "name_source", "company_source", "title_source", "facts_updated_at", "merged_into_id",
        "first_contact_at", "last_contact_at", "interaction_count",
    ]
    static let interactionColumns = [
        "id", "created_at", "person_id", "owner_id", "kind", "occurred_at", "source", "dedup_key", "count",
        "sealed_subject", "sealed_description", "sealed_attendees", "sealed_roles", "search_tokens",
    ]
    static let identityColumns = [
        "id", "created_at", "person_id", "owner_id", "kind", "value", "sealed_value", "domain_index", "source",
        "seen_at",
    ]

    struct Upsert {
        var personID: UUID
        var created: Bool
        /// An existing person gained an identifier or a fact.
        var updated: Bool
        var newIdentities: Int
    }

    static func make(for scope: PeopleScope, source: String, on tx: any Database) async throws -> PeopleBatchWriter {
        PeopleBatchWriter(
            tx: tx, ownerID: scope.actorID, owner: scope.owner,
            cipher: try await scope.keyring.fieldCipher(for: scope.owner, on: tx),
            blindIndex: try await scope.keyring.blindIndex(for: scope.owner, on: tx), now: scope.now, source: source,
            legacyRowsPossible: try await SealPeopleRecordsJob.isPending(on: tx)
        )
    }

    /// Looks up, in one query per kind, which people the batch's identifiers already name, so the
    /// upserts that follow need no query each.
    mutating func prefetch(_ identities: [NormalizedIdentity]) async throws {
        let byKind = Dictionary(
            grouping: Set(identities).filter { owners[$0] == nil && !unowned.contains($0) }, by: \.kind)
        for (kind, group) in byKind {
            // The stored value is the identifier's keyed index (or, on a row from before sealing, the identifier).
            var identityOfValue: [String: NormalizedIdentity] = [:]
            for identity in group {
                for value in IdentityRecord.lookupValues(identity, blindIndex: blindIndex, legacy: legacyRowsPossible) {
                    identityOfValue[value] = identity
                }
            }
            let values = Array(identityOfValue.keys)
            // Two columns through SQLKit: decoding whole Fluent models was a visible share of an import's time.
            let sql = try tx.sql()
            for chunk in values.chunked(by: 500) {
                let rows = try await sql.raw(
                    """
                    SELECT person_id, value FROM \(ident: PersonIdentity.schema)
                    WHERE owner_id = \(bind: ownerID) AND kind = \(bind: kind.rawValue) AND value IN (\(binds: Array(chunk)))
                    """
                ).all()
                for row in rows {
                    if let identity = identityOfValue[try row.decode(column: "value", as: String.self)] {
                        owners[identity] = try row.decodeUUID(column: "person_id")
                    }
                }
            }
            for identity in group where owners[identity] == nil { unowned.insert(identity) }
        }
    }

    /// What to do with identifiers that name two people, or that conflict with the person's own (another
    /// LinkedIn profile, another X account).
    enum ConflictPolicy {
        /// An import: such identifiers stay where they are; an import never merges two existing people by itself.
        case leaveThem
        /// The user adding a person: the whole addition is refused (`PeopleError`), and nothing is written.
        case refuse
    }

    /// The person the first known identifier names (gaining the new identifiers and missing facts), or a new
    /// person. Every way of adding people (the user's, each import's) comes through here, so they follow one set of
    /// identity rules; `conflicts` says how strictly.
    mutating func upsertPerson(
        name: String, company: String?, title: String?, identities: [NormalizedIdentity],
        conflicts: ConflictPolicy = .leaveThem
    ) async throws -> Upsert {
        var owners: [UUID] = []
        var taken: Set<NormalizedIdentity> = []
        try await prefetch(identities)
        for identity in Set(identities) {
            if let owner = self.owners[identity] {
                owners.append(owner)
                taken.insert(identity)
            }
        }
        if conflicts == .refuse, Set(owners).count > 1 { throw PeopleError.identitiesOfSeveralPeople }
        if let id = owners.first, identities.allSatisfy(taken.contains), company == nil, title == nil {
            // Nothing new to add (the common case for mail): no need to load the person.
            return Upsert(personID: id, created: false, updated: false, newIdentities: 0)
        }
        if let id = owners.first, let person = newPeople[id] {
            // Someone this batch created: the row is not written yet, so it gains facts and identifiers in memory.
            let known = newIdentitiesByPerson[id, default: []]
            if conflicts == .refuse, IdentityResolver.conflicts(known, identities) {
                throw PeopleError.conflictingIdentities
            }
            let fresh = identities.filter { !taken.contains($0) && !IdentityResolver.conflicts(known, [$0]) }
            let before = (person.company, person.title)
            person.fill(company: company, title: title, source: source, at: now)
            let factsChanged = before.0 != person.company || before.1 != person.title
            let added = queueIdentities(fresh, to: id)
            return Upsert(personID: id, created: false, updated: factsChanged || added > 0, newIdentities: added)
        }
        if let id = owners.first, let person = try await Person.find(id, on: tx), person.mergedIntoID == nil {
            let stored = try await PersonIdentity.query(on: tx).filter(\.$person.$id == id).all().compactMap {
                try IdentityRecord.open($0, owner: owner, cipher: cipher)
            }
            let known = stored + newIdentitiesByPerson[id, default: []]
            if conflicts == .refuse, IdentityResolver.conflicts(known, identities) {
                throw PeopleError.conflictingIdentities
            }
            let fresh = identities.filter { !taken.contains($0) && !IdentityResolver.conflicts(known, [$0]) }
            let before = (person.company, person.title)
            person.fill(company: company, title: title, source: source, at: now)
            let factsChanged = before.0 != person.company || before.1 != person.title
            if factsChanged { try await person.save(on: tx) }
            let added = queueIdentities(fresh, to: id)
            return Upsert(personID: id, created: false, updated: factsChanged || added > 0, newIdentities: added)
        }
        let person = Person(
            ownerID: ownerID, name: PersonText.importedName(name), company: PersonText.cleanFact(company),
            title: PersonText.cleanFact(title), source: source, at: now)
        let id = TimeOrderedUUID.make()
        person.id = id
        newPeople[id] = person
        newPeopleOrder.append(id)
        let added = queueIdentities(identities.filter { !taken.contains($0) }, to: id)
        return Upsert(personID: id, created: true, updated: false, newIdentities: added)
    }

    /// Queues an interaction for the person; `finish()` writes it unless its key is already on them.
    mutating func addInteraction(_ new: NewInteraction, to personID: UUID) {
        let key = InteractionRecord.dedupKey(new, blindIndex: blindIndex)
        guard pendingKeys[personID, default: []].insert(key).inserted else { return }
        pending.append((personID, key, new, nil))
    }

    /// Queues an interaction sealed and tokenized ahead of the batch (`PreparedInteraction`), as `addInteraction`.
    mutating func addInteraction(_ prepared: PreparedInteraction, to personID: UUID) {
        let key = prepared.dedupKey
        guard pendingKeys[personID, default: []].insert(key).inserted else { return }
        pending.append((personID, key, prepared.new, prepared))
    }

    /// Writes the queued interactions that are new, with their search tokens, and brings the first and last
    /// contact and counts of every person who gained one up to date. Returns how many interactions it added.
    @discardableResult
    mutating func finish() async throws -> Int {
        defer {
            pending = []
            pendingKeys = [:]
        }
        let sql = try tx.sql()
        try await writeNewPeople(into: sql)
        guard !pending.isEmpty else { return 0 }
        var interactions: [InteractionRow] = []
        // Interactions not prepared ahead are sealed and tokenized here. A mail is one interaction per person on it,
        // all with the same attendee list and subject: its JSON and tokens are made once.
        var jsonByAttendees: [[String]: String] = [:]
        var jsonByRoles: [InteractionRoles: Data] = [:]
        var tokensBySubject: [String: String] = [:]
        for (personID, key, new, prepared) in pending {
            if let prepared {
                interactions.append(InteractionRow(personID: personID, key: key, prepared: prepared))
                continue
            }
            var json: String?
            var rolesJSON: Data?
            var tokens: String?
            if let roles = new.roles {
                rolesJSON = try jsonByRoles[roles] ?? roles.storageJSON()
                jsonByRoles[roles] = rolesJSON
            } else if !new.attendees.isEmpty {
                json = try jsonByAttendees[new.attendees] ?? InteractionRecord.attendeesJSON(new.attendees)
                jsonByAttendees[new.attendees] = json
            }
            if let subject = new.subject {
                tokens = tokensBySubject[subject] ?? InteractionRecord.subjectTokens(subject, blindIndex: blindIndex)
                tokensBySubject[subject] = tokens
            }
            let ready = try PreparedInteraction(
                new, owner: owner, cipher: cipher, blindIndex: blindIndex, attendeesJSON: json, rolesJSON: rolesJSON,
                subjectTokens: tokens)
            interactions.append(InteractionRow(personID: personID, key: key, prepared: ready))
        }
        if legacyRowsPossible {
            interactions = try await withoutLegacyDuplicates(interactions, on: sql)
        }
        // Rows whose key the person already has are left out by the unique index, so a re-import adds nothing and
        // needs no query first; only the rows really inserted count.
        let inserted = try await insert(interactions, into: sql)
        var added: [UUID: ContactStats.Delta] = [:]
        for row in interactions where inserted.contains(row.id) {
            added[row.personID, default: .init()].add(row.new.occurredAt)
        }
        try await ContactStats.add(added, on: tx)
        try await fillMissingRoles(interactions.filter { !inserted.contains($0.id) && $0.new.roles != nil }, on: sql)
        return inserted.count
    }

    /// A re-import fills what an earlier import could not record: the roles of interactions the person already has
    /// (stored before roles were kept) are sealed for those rows now. Only rows the unique index turned away are
    /// looked at, so a first import pays nothing.
    private func fillMissingRoles(_ rows: [InteractionRow], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let byKey = Dictionary(rows.map { (InteractionRecord.Stored.Pair($0.personID, $0.key), $0) }) { first, _ in
            first
        }
        for found in try await InteractionRecord.Stored.find(Array(byKey.keys), withoutRoles: true, on: sql) {
            guard let roles = byKey[found.pair]?.new.roles else { continue }
            let sealed = try cipher.seal(
                try roles.storageJSON(), context: InteractionRecord.context(found.id, "sealed_roles", owner))
            try await sql.raw(
                "UPDATE \(ident: Interaction.schema) SET sealed_roles = \(bind: sealed) WHERE id = \(bind: found.id)"
            ).run()
        }
    }

    /// Leaves out the interactions a person already has under the key written before dedup keys were hashed.
    private func withoutLegacyDuplicates(_ rows: [InteractionRow], on sql: any SQLDatabase) async throws
        -> [InteractionRow]
    {
        let pairs = rows.map { InteractionRecord.Stored.Pair($0.personID, InteractionRecord.legacyKey($0.new)) }
        let found = Set(try await InteractionRecord.Stored.find(pairs, on: sql).map(\.pair))
        guard !found.isEmpty else { return rows }
        return rows.filter { !found.contains(.init($0.personID, InteractionRecord.legacyKey($0.new))) }
    }

    /// A new interaction as it is written: the same columns and values Fluent's `create` of `Interaction` writes.
    private struct InteractionRow {
        let personID: UUID
        let key: String
        let prepared: PreparedInteraction
        var id: UUID { prepared.id }
        var new: NewInteraction { prepared.new }
        var sealed: InteractionRecord.SealedFields { prepared.sealed }
    }

    /// Multi-row INSERTs written straight to SQL rather than through Fluent's `create` (which reflects over every
    /// model's properties for each row) or SQLKit's insert builder: both cost more than SQLite itself in a profile
    /// of `loam import`. The bound values are the same Swift values Fluent would bind, so both databases store
    /// exactly what Fluent stores; every import test reads the rows back through the Fluent models.
    /// Returns the identifiers of the rows inserted: those whose key was not on their person yet.
    private func insert(_ rows: [InteractionRow], into sql: any SQLDatabase) async throws -> Set<UUID> {
        let returned = try await sql.insertRows(
            into: Interaction.schema, columns: Self.interactionColumns, rows, rowsPerStatement: Self.insertChunk,
            ignoringConflictsOn: ["person_id", "dedup_key"], returning: ["id"]
        ) { row, values in
            values +=
                [
                    row.id, now, row.personID, ownerID, row.new.kind.rawValue, row.new.occurredAt, row.new.source,
                    row.key,
                    row.new.kind == .message ? row.new.count : 1, row.sealed.subject, row.sealed.description,
                    row.sealed.attendees, row.sealed.roles,
                    row.prepared.subjectTokens.isEmpty ? nil : row.prepared.subjectTokens,
                ] as [any Encodable & Sendable]
        }
        return Set(try returned.map { try $0.decodeUUID(column: "id") })
    }

    /// Notes identifiers for `finish()` to write, and that they now name the person. Returns how many are new.
    private mutating func queueIdentities(_ identities: [NormalizedIdentity], to personID: UUID) -> Int {
        var added = 0
        for identity in Set(identities) where owners[identity] == nil {
            owners[identity] = personID
            unowned.remove(identity)
            newIdentities.append((personID, identity))
            newIdentitiesByPerson[personID, default: []].append(identity)
            added += 1
        }
        return added
    }

    /// The people and identifiers this batch created, each column Fluent's `create` would write (both of a
    /// person's timestamps are set on creation), as multi-row inserts.
    private mutating func writeNewPeople(into sql: any SQLDatabase) async throws {
        defer {
            newPeople = [:]
            newPeopleOrder = []
            newIdentities = []
            newIdentitiesByPerson = [:]
        }
        let now = self.now
        let ownerID = self.ownerID
        let source = self.source
        let people = newPeopleOrder.compactMap { newPeople[$0] }
        try await sql.insertRows(
            into: Person.schema,
            columns: Self.personColumns, people, rowsPerStatement: Self.insertChunk / 4
        ) { person, values in
            values +=
                [
                    try person.requireID(), now, now, person.$owner.id, person.name, person.sortName, person.company,
                    person.title,
                    person.isFavourite, person.archivedAt, person.nameSource, person.companySource, person.titleSource,
                    person.factsUpdatedAt,
                    person.mergedIntoID, person.firstContactAt, person.lastContactAt, person.interactionCount,
                ] as [any Encodable & Sendable]
        }
        try await sql.insertRows(
            into: PersonIdentity.schema, columns: Self.identityColumns,
            newIdentities, rowsPerStatement: Self.insertChunk
        ) { row, values in
            let id = TimeOrderedUUID.make()
            values +=
                [
                    id, now, row.personID, ownerID, row.identity.kind.rawValue,
                    IdentityRecord.index(row.identity, blindIndex: blindIndex),
                    try IdentityRecord.seal(row.identity, rowID: id, owner: owner, cipher: cipher),
                    IdentityRecord.domainIndex(row.identity, blindIndex: blindIndex), source, now,
                ] as [any Encodable & Sendable]
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
