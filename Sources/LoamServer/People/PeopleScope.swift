import Fluent
import FluentSQL
import Foundation
import LoamKit
import Vapor

/// The only way to people and everything about them (identities, notes, groups, interactions, merges):
/// every query is bound to the acting user, and the scope cannot be made without one. A person of someone
/// else is `PeopleError.notFound`, the same answer as for an id that does not exist, so ids reveal nothing.
///
/// It holds the pieces it uses (a database, the keyring, the clock), not the application.
struct PeopleScope: Sendable {
    /// A database handle for each use. Outside a request it is `Application.db`, which takes the next event loop's
    /// connection each time, so an import's batches spread over the SQLite connections as they did before.
    let database: @Sendable () -> any Database
    let keyring: Keyring
    let clock: LoamClock
    let actorID: UUID
    /// For phone numbers written without a country code.
    let phoneRegion: String
    /// For dates on the pages.
    let timeZone: String

    init(db database: @escaping @Sendable () -> any Database, keyring: Keyring, clock: LoamClock, actor: User) throws {
        self.database = database
        self.keyring = keyring
        self.clock = clock
        self.actorID = try actor.requireID()
        self.phoneRegion = actor.phoneRegion
        self.timeZone = actor.timeZone
    }

    var db: any Database { database() }
    var now: Date { clock.now() }
    var owner: OwnerID { .user(actorID.uuidString.lowercased()) }

    // MARK: People

    /// One of the user's people; merged-away people are gone until their merge is undone.
    func person(_ id: UUID?, on database: (any Database)? = nil) async throws -> Person {
        guard let id,
            let person = try await Person.query(on: database ?? db).filter(\.$id == id).filter(\.$owner.$id == actorID)
                .filter(\.$mergedIntoID == nil).first()
        else { throw PeopleError.notFound }
        return person
    }

    /// A page of people. Sorted by name the cursor is a position (name, id), so pages never skip or repeat
    /// while people are added; by last contact or interaction count it is an offset.
    func list(_ options: PeopleListOptions) async throws -> (people: [Person], next: String?) {
        var query = Person.query(on: db).filter(\.$owner.$id == actorID).filter(\.$mergedIntoID == nil)
        query = options.archived ? query.filter(\.$archivedAt != nil) : query.filter(\.$archivedAt == nil)
        if options.favouritesOnly { query = query.filter(\.$isFavourite == true) }
        if let groupID = options.groupID {
            _ = try await group(groupID)
            let members = try await PersonGroupMember.query(on: db).filter(\.$group.$id == groupID)
                .filter(\.$ownerID == actorID).all().map(\.$person.id)
            query = query.filter(\.$id ~~ members)
        }
        let cursor = try ListCursor.decode(options.cursor, list: "people", as: PeopleCursor.self)
        if let cursor, cursor.sort != options.sort || (cursor.offset ?? 0) < 0 { throw ListCursorError() }
        let offset = cursor?.offset ?? 0
        switch options.sort {
        case .name:
            if let after = cursor, let name = after.name, let id = after.id {
                query = query.group(.or) { either in
                    either.filter(\.$sortName > name)
                    either.group(.and) { same in
                        same.filter(\.$sortName == name)
                        same.filter(\.$id > id)
                    }
                }
            }
            query = query.sort(\.$sortName).sort(\.$id)
        case .lastContact:
            // Never contacted goes last on both databases: SQLite sorts NULL first, PostgreSQL last.
            query = query.sort(.sql(unsafeRaw: "CASE WHEN last_contact_at IS NULL THEN 1 ELSE 0 END")).sort(
                \.$lastContactAt, .descending
            )
            .sort(\.$sortName).sort(\.$id).offset(offset)
        case .interactions:
            query = query.sort(\.$interactionCount, .descending).sort(\.$sortName).sort(\.$id).offset(offset)
        }
        let people = try await query.limit(options.limit + 1).all()
        let page = Array(people.prefix(options.limit))
        guard people.count > options.limit, let last = page.last else { return (page, nil) }
        let next: PeopleCursor =
            options.sort == .name
            ? PeopleCursor(sort: .name, name: last.sortName, id: try last.requireID(), offset: nil)
            : PeopleCursor(sort: options.sort, name: nil, id: nil, offset: offset + page.count)
        return (page, ListCursor.encode(next, list: "people"))
    }

    /// Adds a person, or — when one of `identities` already names one of the user's people — adds the
    /// new facts to that person instead (`merged`). Identities of two different people, or of a person
    /// who has a conflicting identifier (another LinkedIn profile, another X account), are refused.
    func create(
        name rawName: String, company: String?, title: String?, identities: [NormalizedIdentity], source: String
    )
        async throws -> (Person, merged: Bool)
    {
        let name = try PersonText.validName(rawName)
        let scope = self
        return try await db.writeTransaction { tx in
            // The same writer and rules as an import, strict: what would join two people, or clash with the
            // person's own identifiers, is refused instead of left out.
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            let upsert = try await writer.upsertPerson(
                name: name, company: company, title: title, identities: identities, conflicts: .refuse)
            _ = try await writer.finish()
            guard let person = try await Person.find(upsert.personID, on: tx) else { throw PeopleError.notFound }
            return (person, merged: !upsert.created)
        }
    }

    /// The user's own edit: it wins over every later import or sync, which only fill gaps.
    func update(_ id: UUID?, _ change: PersonChange) async throws -> Person {
        let person = try await person(id)
        let now = self.now
        if let name = change.name { person.rename(try PersonText.validName(name), source: "user", at: now) }
        if let company = change.company {
            person.company = PersonText.cleanFact(company)
            person.companySource = "user"
            person.factsUpdatedAt = now
        }
        if let title = change.title {
            person.title = PersonText.cleanFact(title)
            person.titleSource = "user"
            person.factsUpdatedAt = now
        }
        if let favourite = change.isFavourite { person.isFavourite = favourite }
        if let archived = change.archived { person.archivedAt = archived ? (person.archivedAt ?? now) : nil }
        try await db.writeTransaction { tx in try await person.save(on: tx) }
        return person
    }

    /// Deletes the person with everything about them, people merged into them included.
    func delete(_ id: UUID?) async throws {
        let person = try await person(id)
        let actorID = self.actorID
        try await db.writeTransaction { tx in
            var doomed = [try person.requireID()]
            var frontier = doomed
            while !frontier.isEmpty {
                frontier = try await Person.query(on: tx).filter(\.$owner.$id == actorID).filter(
                    \.$mergedIntoID ~~ frontier
                )
                .all().map { try $0.requireID() }
                doomed += frontier
            }
            try await SearchEntry.query(on: tx).filter(\.$ownerID == actorID).filter(\.$personID ~~ doomed).delete()
            try await PersonMerge.query(on: tx).filter(\.$ownerID == actorID).group(.or) {
                $0.filter(\.$survivorID ~~ doomed).filter(\.$absorbedID ~~ doomed)
            }.delete()
            for personID in doomed.reversed() {
                try await Person.query(on: tx).filter(\.$id == personID).filter(\.$owner.$id == actorID).delete()
            }
        }
    }

    // MARK: Identities

    /// The person's identifiers, opened for their owner, by kind and then value.
    func identities(of person: Person) async throws -> [OpenedIdentity] {
        let rows = try await PersonIdentity.query(on: db).filter(\.$person.$id == (try person.requireID()))
            .filter(\.$ownerID == actorID).all()
        let cipher = try await keyring.fieldCipher(for: owner, on: db)
        return try rows.compactMap { row in try Self.opened(row, owner: owner, cipher: cipher) }
            .sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
    }

    static func opened(_ row: PersonIdentity, owner: OwnerID, cipher: FieldCipher) throws -> OpenedIdentity? {
        guard let identity = try IdentityRecord.open(row, owner: owner, cipher: cipher) else { return nil }
        return OpenedIdentity(
            id: try row.requireID(), kind: row.kind, value: identity.value, source: row.source, seenAt: row.seenAt)
    }

    /// Adds one identifier the user typed; one that already names another of their people is a conflict
    /// (merge the two instead).
    func addIdentity(to id: UUID?, kind: String, value: String) async throws -> OpenedIdentity {
        let person = try await person(id)
        let identity = try normalize(kind: kind, value: value)
        let personID = try person.requireID()
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let now = self.now
        return try await db.writeTransaction { tx in
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let blindIndex = try await keyring.blindIndex(for: owner, on: tx)
            let legacy = try await SealPeopleRecordsJob.isPending(on: tx)
            if let existing = try await PersonIdentity.query(on: tx).filter(\.$ownerID == actorID)
                .filter(\.$kind == identity.kind.rawValue)
                .filter(\.$value ~~ IdentityRecord.lookupValues(identity, blindIndex: blindIndex, legacy: legacy))
                .first()
            {
                guard existing.$person.id == personID else { throw PeopleError.identityOfAnotherPerson }
                guard let opened = try Self.opened(existing, owner: owner, cipher: cipher) else {
                    throw PeopleError.notFound
                }
                return opened
            }
            let known = try await PersonIdentity.query(on: tx).filter(\.$person.$id == personID).all()
                .compactMap { try IdentityRecord.open($0, owner: owner, cipher: cipher) }
            if IdentityResolver.conflicts(known, [identity]) { throw PeopleError.conflictingIdentities }
            let rowID = UUID()
            let row = PersonIdentity(
                personID: personID, ownerID: actorID, kind: identity.kind.rawValue,
                value: IdentityRecord.index(identity, blindIndex: blindIndex), source: "user", seenAt: now)
            row.id = rowID
            row.sealedValue = try IdentityRecord.seal(identity, rowID: rowID, owner: owner, cipher: cipher)
            row.domainIndex = IdentityRecord.domainIndex(identity, blindIndex: blindIndex)
            try await row.create(on: tx)
            return OpenedIdentity(
                id: rowID, kind: row.kind, value: identity.value, source: row.source, seenAt: row.seenAt)
        }
    }

    func removeIdentity(_ identityID: UUID?, of id: UUID?) async throws {
        let person = try await person(id)
        guard let identityID,
            let identity = try await PersonIdentity.query(on: db).filter(\.$id == identityID)
                .filter(\.$person.$id == (try person.requireID())).filter(\.$ownerID == actorID).first()
        else { throw PeopleError.notFound }
        try await db.writeTransaction { tx in try await identity.delete(on: tx) }
    }

    // MARK: Input

    /// Normalizes what a client sent; the position of a bad entry is reported, nothing is guessed.
    func normalize(emails: [String], phones: [String]) throws -> [NormalizedIdentity] {
        var identities: [NormalizedIdentity] = []
        for (position, raw) in emails.enumerated() {
            guard let value = IdentityNormalizer.email(raw) else {
                throw PeopleError.invalidIdentity(kind: "email", position: position)
            }
            identities.append(NormalizedIdentity(kind: .email, value: value))
        }
        for (position, raw) in phones.enumerated() {
            guard let value = IdentityNormalizer.phone(raw, defaultRegion: phoneRegion) else {
                throw PeopleError.invalidIdentity(kind: "phone", position: position)
            }
            identities.append(NormalizedIdentity(kind: .phone, value: value))
        }
        return identities
    }

    /// One identifier of any kind, as the user typed it.
    func normalize(kind rawKind: String, value: String) throws -> NormalizedIdentity {
        guard let kind = IdentityKind(rawValue: rawKind), kind != .sourceID else {
            throw PeopleError.invalidIdentityKind
        }
        let normalized: String? =
            switch kind {
            case .email: IdentityNormalizer.email(value)
            case .phone: IdentityNormalizer.phone(value, defaultRegion: phoneRegion)
            case .profileURL: IdentityNormalizer.profileURL(value)
            case .handle: Self.handle(value)
            case .sourceID: nil
            }
        guard let normalized else { throw PeopleError.invalidIdentity(kind: kind.rawValue, position: 0) }
        return NormalizedIdentity(kind: kind, value: normalized)
    }

    /// A handle is written `service:handle` (`x:@jack`, `github:octocat`).
    private static func handle(_ value: String) -> String? {
        guard let colon = value.firstIndex(of: ":") else { return nil }
        return IdentityNormalizer.handle(String(value[value.index(after: colon)...]), service: String(value[..<colon]))
    }

}

extension Person {
    /// Fills the company and title where they are missing; a fact already there is kept.
    func fill(company: String?, title: String?, source: String, at now: Date) {
        if self.company == nil, let company {
            self.company = company
            self.companySource = source
            self.factsUpdatedAt = now
        }
        if self.title == nil, let title {
            self.title = title
            self.titleSource = source
            self.factsUpdatedAt = now
        }
    }
}

/// How a list of people is asked for.
struct PeopleListOptions {
    enum Sort: String, Codable {
        case name
        case lastContact = "last_contact"
        case interactions
    }

    var sort: Sort = .name
    var groupID: UUID?
    var archived = false
    var favouritesOnly = false
    var cursor: String?
    var limit = 50
}

/// The user's change to a person; `nil` leaves a field as it is, an empty string clears company or title.
struct PersonChange {
    var name: String?
    var company: String?
    var title: String?
    var isFavourite: Bool?
    var archived: Bool?
}

/// A position in a list of people (`ListCursor`): the last sort key and id of the previous page, or an offset.
struct PeopleCursor: Codable {
    var sort: PeopleListOptions.Sort
    var name: String?
    var id: UUID?
    var offset: Int?
}

extension Request {
    /// The people of the signed-in user; 401 without one.
    func people() throws -> PeopleScope {
        try PeopleScope(
            db: { [db] in db }, keyring: application.keyring, clock: application.clock,
            actor: try requireAuthenticated().user)
    }
}

extension Application {
    /// The people of `user`, outside a request (imports, jobs, commands).
    func people(for user: User) throws -> PeopleScope {
        try PeopleScope(db: { [unowned self] in self.db }, keyring: keyring, clock: clock, actor: user)
    }
}

extension PeopleScope {
    /// The user's people with an address at `domain` ("acme.com"), found through the domain's keyed index: no
    /// address is opened to look. Sorted by name.
    func people(atDomain domain: String) async throws -> [Person] {
        let cleaned = domain.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .trimmingCharacters(in: CharacterSet(charactersIn: "@"))
        guard !cleaned.isEmpty else { return [] }
        let index = IdentityRecord.domainIndex(
            of: cleaned, blindIndex: try await keyring.blindIndex(for: owner, on: db))
        let personIDs = try await PersonIdentity.query(on: db).filter(\.$ownerID == actorID)
            .filter(\.$domainIndex == index).all().map(\.$person.id)
        guard !personIDs.isEmpty else { return [] }
        return try await Person.query(on: db).filter(\.$owner.$id == actorID).filter(\.$id ~~ Set(personIDs))
            .filter(\.$mergedIntoID == nil).sort(\.$sortName).all()
    }
}
