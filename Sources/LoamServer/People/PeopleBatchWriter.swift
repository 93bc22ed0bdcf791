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
/// Interactions are held until `finish()`, which looks up which of their keys are already stored in one query
/// per few hundred, writes the new ones (and their search tokens) as multi-row inserts, and refreshes every
/// touched person's contact figures in one statement: an import costs a handful of statements per batch,
/// not several per message.
struct PeopleBatchWriter {
    let tx: any Database
    let ownerID: UUID
    let owner: OwnerID
    let cipher: FieldCipher
    let blindIndex: BlindIndex
    let now: Date
    let source: String
    /// Which person each identifier names, as far as the batch has looked (`prefetch`) or written.
    private var owners: [NormalizedIdentity: UUID] = [:]
    /// Identifiers known to name nobody yet.
    private var unowned: Set<NormalizedIdentity> = []
    /// Interactions waiting for `finish()`, and their keys by person (a key twice in one batch is one interaction).
    private var pending: [(personID: UUID, key: String, interaction: NewInteraction)] = []
    private var pendingKeys: [UUID: Set<String>] = [:]

    /// Rows per multi-row INSERT: well inside SQLite's and PostgreSQL's limits on bound parameters.
    static let insertChunk = 200

    struct Upsert {
        var personID: UUID
        var created: Bool
        /// An existing person gained an identifier or a fact.
        var updated: Bool
        var newIdentities: Int
    }

    static func make(for scope: PeopleScope, source: String, on tx: any Database) async throws -> PeopleBatchWriter {
        PeopleBatchWriter(
            tx: tx, ownerID: scope.actorID, owner: scope.owner, cipher: try await scope.app.keyring.fieldCipher(for: scope.owner, on: tx),
            blindIndex: try await scope.app.keyring.blindIndex(for: scope.owner, on: tx), now: scope.now, source: source)
    }

    /// Looks up, in one query per kind, which people the batch's identifiers already name, so the
    /// upserts that follow need no query each.
    mutating func prefetch(_ identities: [NormalizedIdentity]) async throws {
        let byKind = Dictionary(grouping: Set(identities).filter { owners[$0] == nil && !unowned.contains($0) }, by: \.kind)
        for (kind, group) in byKind {
            let values = group.map(\.value)
            // Two columns through SQLKit: decoding whole Fluent models was a visible share of an import's time.
            let sql = try tx.sql()
            for chunk in values.chunked(by: 500) {
                let rows = try await sql.raw("""
                    SELECT person_id, value FROM \(ident: PersonIdentity.schema)
                    WHERE owner_id = \(bind: ownerID) AND kind = \(bind: kind.rawValue) AND value IN (\(binds: Array(chunk)))
                    """).all()
                for row in rows {
                    owners[NormalizedIdentity(kind: kind, value: try row.decode(column: "value", as: String.self))] =
                        try row.decode(column: "person_id", as: UUID.self)
                }
            }
            for identity in group where owners[identity] == nil { unowned.insert(identity) }
        }
    }

    /// The person the first known identifier names (gaining the new identifiers and missing facts), or a new
    /// person. Identifiers that already name another person, or that conflict with this one's, are left where
    /// they are: an import never merges two existing people by itself.
    mutating func upsertPerson(name: String, company: String?, title: String?, identities: [NormalizedIdentity]) async throws -> Upsert {
        var owners: [UUID] = []
        var taken: Set<NormalizedIdentity> = []
        try await prefetch(identities)
        for identity in Set(identities) {
            if let owner = self.owners[identity] {
                owners.append(owner)
                taken.insert(identity)
            }
        }
        if let id = owners.first, identities.allSatisfy(taken.contains), company == nil, title == nil {
            // Nothing new to add (the common case for mail): no need to load the person.
            return Upsert(personID: id, created: false, updated: false, newIdentities: 0)
        }
        if let id = owners.first, let person = try await Person.find(id, on: tx), person.mergedIntoID == nil {
            let known = try await PersonIdentity.query(on: tx).filter(\.$person.$id == id).all().compactMap(\.normalized)
            let fresh = identities.filter { !taken.contains($0) && !IdentityResolver.conflicts(known, [$0]) }
            let before = (person.company, person.title)
            person.fill(company: company, title: title, source: source, at: now)
            let factsChanged = before.0 != person.company || before.1 != person.title
            if factsChanged { try await person.save(on: tx) }
            let added = try await addIdentities(fresh, to: id)
            return Upsert(personID: id, created: false, updated: factsChanged || added > 0, newIdentities: added)
        }
        let cleanName = String(name.trimmingCharacters(in: .whitespacesAndNewlines).filter { !$0.isNewline }.prefix(200))
        let person = Person(
            ownerID: ownerID, name: cleanName.isEmpty ? "Unnamed" : cleanName, company: PeopleScope.cleanFact(company),
            title: PeopleScope.cleanFact(title), source: source, at: now)
        let id = UUID()
        person.id = id
        try await Self.insert(person, into: try tx.sql(), at: now)
        let added = try await addIdentities(identities.filter { !taken.contains($0) }, to: id)
        return Upsert(personID: id, created: true, updated: false, newIdentities: added)
    }

    /// Queues an interaction for the person; `finish()` writes it unless its key is already on them.
    mutating func addInteraction(_ new: NewInteraction, to personID: UUID) {
        let key = PeopleScope.dedupKey(new)
        guard pendingKeys[personID, default: []].insert(key).inserted else { return }
        pending.append((personID, key, new))
    }

    /// Writes the queued interactions that are new, with their search tokens, and brings the first and last
    /// contact and counts of every person who gained one up to date. Returns how many interactions it added.
    @discardableResult
    mutating func finish() async throws -> Int {
        defer {
            pending = []
            pendingKeys = [:]
        }
        guard !pending.isEmpty else { return 0 }
        let sql = try tx.sql()
        var stored: Set<String> = []
        for chunk in pending.chunked(by: 400) {
            let people = Array(Set(chunk.map(\.personID))), keys = Array(Set(chunk.map(\.key)))
            let rows = try await sql.raw(
                "SELECT person_id, dedup_key FROM \(ident: Interaction.schema) WHERE person_id IN (\(binds: people)) AND dedup_key IN (\(binds: keys))"
            ).all()
            for row in rows {
                stored.insert(Self.storedKey(try row.decode(column: "person_id", as: UUID.self), try row.decode(column: "dedup_key", as: String.self)))
            }
        }
        var interactions: [Interaction] = [], tokens: [SearchToken] = []
        var touched: Set<UUID> = []
        // A mail is one interaction per person on it, all with the same subject and attendee list: their search
        // tokens (an HMAC per word) and JSON are computed once per batch, not once per person.
        var tokensBySubject: [String: [String]] = [:], jsonByAttendees: [[String]: String] = [:]
        for (personID, key, new) in pending where !stored.contains(Self.storedKey(personID, key)) {
            var json: String?
            if !new.attendees.isEmpty {
                json = try jsonByAttendees[new.attendees] ?? PeopleScope.attendeesJSON(new.attendees)
                jsonByAttendees[new.attendees] = json
            }
            let row = try PeopleScope.sealedInteraction(
                new, key: key, personID: personID, ownerID: ownerID, owner: owner, cipher: cipher, attendeesJSON: json)
            interactions.append(row)
            if let subject = new.subject {
                let words = tokensBySubject[subject] ?? blindIndex.tokens(for: subject, column: PeopleScope.subjectSearchField)
                tokensBySubject[subject] = words
                tokens += SearchToken.rows(
                    tokens: words, field: PeopleScope.subjectSearchField, recordID: try row.requireID(), personID: personID, ownerID: ownerID)
            }
            touched.insert(personID)
        }
        try await Self.insert(interactions, into: sql, at: now)
        try await Self.insert(tokens, into: sql)
        try await PeopleScope.refreshContactStats(of: touched, on: tx)
        return interactions.count
    }

    /// Multi-row INSERTs through SQLKit rather than Fluent's `create`: Fluent reflects over every model's
    /// properties for each row, which cost more than SQLite itself in a profile of `loam import`. The bound values
    /// are the same Swift values Fluent would bind, so both databases store exactly what Fluent stores.
    private static func insert(_ rows: [Interaction], into sql: any SQLDatabase, at now: Date) async throws {
        let columns = [
            "id", "created_at", "person_id", "owner_id", "kind", "occurred_at", "source", "dedup_key", "count", "sealed_subject",
            "sealed_description", "sealed_attendees",
        ]
        for chunk in rows.chunked(by: insertChunk) {
            var insert = sql.insert(into: Interaction.schema).columns(columns)
            for row in chunk {
                insert = insert.values([
                    SQLBind(try row.requireID()), SQLBind(now), SQLBind(row.$person.id), SQLBind(row.ownerID), SQLBind(row.kind),
                    SQLBind(row.occurredAt), SQLBind(row.source), SQLBind(row.dedupKey), SQLBind(row.count), SQLBind(row.sealedSubject),
                    SQLBind(row.sealedDescription), SQLBind(row.sealedAttendees),
                ])
            }
            try await insert.run()
        }
    }

    /// A new person, every column Fluent's `create` would write (both timestamps are set on creation).
    private static func insert(_ person: Person, into sql: any SQLDatabase, at now: Date) async throws {
        try await sql.insert(into: Person.schema)
            .columns([
                "id", "created_at", "updated_at", "owner_id", "name", "sort_name", "company", "title", "is_favourite", "archived_at",
                "name_source", "company_source", "title_source", "facts_updated_at", "merged_into_id", "first_contact_at",
                "last_contact_at", "interaction_count",
            ])
            .values([
                SQLBind(try person.requireID()), SQLBind(now), SQLBind(now), SQLBind(person.$owner.id), SQLBind(person.name),
                SQLBind(person.sortName), SQLBind(person.company), SQLBind(person.title), SQLBind(person.isFavourite),
                SQLBind(person.archivedAt), SQLBind(person.nameSource), SQLBind(person.companySource), SQLBind(person.titleSource),
                SQLBind(person.factsUpdatedAt), SQLBind(person.mergedIntoID), SQLBind(person.firstContactAt),
                SQLBind(person.lastContactAt), SQLBind(person.interactionCount),
            ])
            .run()
    }

    private static func insert(_ rows: [SearchToken], into sql: any SQLDatabase) async throws {
        for chunk in rows.chunked(by: insertChunk) {
            var insert = sql.insert(into: SearchToken.schema).columns(["id", "owner_id", "field", "record_id", "person_id", "token"])
            for row in chunk {
                insert = insert.values([
                    SQLBind(row.id ?? UUID()), SQLBind(row.ownerID), SQLBind(row.field), SQLBind(row.recordID), SQLBind(row.personID),
                    SQLBind(row.token),
                ])
            }
            try await insert.run()
        }
    }

    private static func storedKey(_ personID: UUID, _ key: String) -> String { personID.uuidString + "\u{1F}" + key }

    private mutating func addIdentities(_ identities: [NormalizedIdentity], to personID: UUID) async throws -> Int {
        var added = 0
        let fresh = Array(Set(identities))
        if !fresh.isEmpty {
            var insert = try tx.sql().insert(into: PersonIdentity.schema)
                .columns(["id", "created_at", "person_id", "owner_id", "kind", "value", "source", "seen_at"])
            for identity in fresh {
                insert = insert.values([
                    SQLBind(UUID()), SQLBind(now), SQLBind(personID), SQLBind(ownerID), SQLBind(identity.kind.rawValue),
                    SQLBind(identity.value), SQLBind(source), SQLBind(now),
                ])
            }
            try await insert.run()
        }
        for identity in fresh {
            owners[identity] = personID
            unowned.remove(identity)
            added += 1
        }
        return added
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
