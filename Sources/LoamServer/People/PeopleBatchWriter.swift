import Fluent
import Foundation
import LoamKit

/// Writes many facts about one user's people inside one transaction: what imports (and later syncs) use.
///
/// It applies the same rules as the API: a hard identifier that already names one of the user's people
/// adds to that person, never a name alone; facts already there (above all the user's own) win, only gaps
/// are filled; interactions are sealed and keyed so nothing is added twice. Keys are loaded once per batch.
struct PeopleBatchWriter {
    let tx: any Database
    let ownerID: UUID
    let owner: OwnerID
    let cipher: FieldCipher
    let blindIndex: BlindIndex
    let now: Date
    let source: String
    /// People whose interactions changed, for one refresh of their contact figures at the end.
    private(set) var touched: Set<UUID> = []
    /// Which person each identifier names, as far as the batch has looked (`prefetch`) or written.
    private var owners: [NormalizedIdentity: UUID] = [:]
    /// Identifiers known to name nobody yet.
    private var unowned: Set<NormalizedIdentity> = []
    /// Interaction keys already on a person, by person.
    private var keys: [UUID: Set<String>] = [:]

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
            for chunk in stride(from: 0, to: values.count, by: 500).map({ Array(values[$0..<min($0 + 500, values.count)]) }) {
                let rows = try await PersonIdentity.query(on: tx).filter(\.$ownerID == ownerID).filter(\.$kind == kind.rawValue)
                    .filter(\.$value ~~ chunk).all()
                for row in rows { owners[NormalizedIdentity(kind: kind, value: row.value)] = row.$person.id }
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
        try await person.create(on: tx)
        let id = try person.requireID()
        let added = try await addIdentities(identities.filter { !taken.contains($0) }, to: id)
        return Upsert(personID: id, created: true, updated: false, newIdentities: added)
    }

    /// Records an interaction unless its key is already on the person; `true` when it was added.
    mutating func addInteraction(_ new: NewInteraction, to personID: UUID) async throws -> Bool {
        let key = PeopleScope.dedupKey(new)
        if keys[personID] == nil {
            // Once per person and batch: the keys already on them.
            keys[personID] = Set(try await Interaction.query(on: tx).filter(\.$person.$id == personID).all().map(\.dedupKey))
        }
        guard keys[personID]?.insert(key).inserted == true else { return false }
        let row = try PeopleScope.sealedInteraction(new, key: key, personID: personID, ownerID: ownerID, owner: owner, cipher: cipher)
        try await row.create(on: tx)
        if let subject = new.subject {
            try await SearchToken.index(
                subject, field: PeopleScope.subjectSearchField, recordID: try row.requireID(), personID: personID, ownerID: ownerID,
                blindIndex: blindIndex, on: tx)
        }
        touched.insert(personID)
        return true
    }

    /// Brings the first and last contact and counts of every touched person up to date.
    mutating func finish() async throws {
        for personID in touched { try await PeopleScope.refreshContactStats(of: personID, on: tx) }
        touched = []
    }

    private mutating func addIdentities(_ identities: [NormalizedIdentity], to personID: UUID) async throws -> Int {
        var added = 0
        for identity in Set(identities) {
            try await PersonIdentity(
                personID: personID, ownerID: ownerID, kind: identity.kind.rawValue, value: identity.value, source: source, seenAt: now
            ).create(on: tx)
            owners[identity] = personID
            unowned.remove(identity)
            added += 1
        }
        return added
    }
}
