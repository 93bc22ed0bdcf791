import Fluent
import Foundation
import LoamKit
import SQLKit
import Vapor

/// An interaction as a client or an import hands it over, in clear; it is sealed on the way in.
struct NewInteraction: Sendable {
    var kind: InteractionKind
    var occurredAt: Date
    /// A mail's subject or a meeting's title.
    var subject: String?
    var description: String?
    var attendees: [String] = []
    /// Messages that day, for `message`.
    var count = 1
    /// What makes it the same interaction when it comes again: a Message-ID, an event UID; `nil` for a
    /// hash of kind, time and subject.
    var key: String?
    var source: String
}

/// An interaction opened for its owner; also its shape on the wire.
struct OpenedInteraction: Content {
    var id: UUID
    var kind: InteractionKind
    var occurredAt: Date
    var source: String
    var count: Int
    var subject: String?
    var description: String?
    var attendees: [String]
}

/// "How you know them", last contact and how much contact there was.
struct ContactSummary: Sendable {
    var firstContact: OpenedInteraction?
    var lastContactAt: Date?
    /// Interactions per kind; for messages, the number of messages.
    var counts: [InteractionKind: Int]
}

extension PeopleScope {
    static let subjectSearchField = "interactions.subject"
    static let maximumInteractionText = 10_000

    /// The blind-index tokens of a subject as the interaction stores them (`SearchEntry.joined`); empty when it has
    /// no searchable word. Every path that writes an interaction (the scope, the batch writer, the prepared rows of
    /// an import) tokenizes through here.
    static func subjectTokens(_ subject: String, blindIndex: BlindIndex) -> String {
        SearchEntry.joined(blindIndex.tokens(for: subject, column: subjectSearchField))
    }

    /// Records an interaction; the same one again (same key) adds nothing and answers the first (`created` false).
    func addInteraction(to personID: UUID?, _ new: NewInteraction) async throws -> (OpenedInteraction, created: Bool) {
        let person = try await person(personID)
        try Self.validate(new)
        let personID = try person.requireID()
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let key = Self.dedupKey(new)
        let (row, created) = try await db.writeTransaction { tx -> (Interaction, Bool) in
            if let existing = try await Interaction.query(on: tx).filter(\.$person.$id == personID).filter(
                \.$dedupKey == key
            ).first() {
                return (existing, false)
            }
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let row = try Self.sealedInteraction(
                new, key: key, personID: personID, ownerID: actorID, owner: owner, cipher: cipher)
            if let subject = new.subject {
                let tokens = Self.subjectTokens(subject, blindIndex: try await keyring.blindIndex(for: owner, on: tx))
                row.searchTokens = tokens.isEmpty ? nil : tokens
            }
            try await row.create(on: tx)
            try await Self.refreshContactStats(of: personID, on: tx)
            return (row, true)
        }
        return (try await open([row]).first!, created)
    }

    /// The key that makes an interaction the same one when it comes again.
    static func dedupKey(_ new: NewInteraction) -> String {
        new.key.map { "k:" + $0 } ?? stableKey(new)
    }

    /// A new interaction row with its subject, description and attendees sealed under the owner's key, bound to the row.
    static func sealedInteraction(
        _ new: NewInteraction, key: String, personID: UUID, ownerID: UUID, owner: OwnerID, cipher: FieldCipher
    ) throws -> Interaction {
        let id = TimeOrderedUUID.make()
        let row = Interaction(
            id: id, personID: personID, ownerID: ownerID, kind: new.kind, occurredAt: new.occurredAt,
            source: new.source,
            dedupKey: key, count: new.kind == .message ? new.count : 1)
        let sealed = try sealedFields(new, id: id, owner: owner, cipher: cipher)
        row.sealedSubject = sealed.subject
        row.sealedDescription = sealed.description
        row.sealedAttendees = sealed.attendees
        return row
    }

    /// An interaction's sealed columns, each bound to the row `id`, its column and the owner.
    struct SealedFields: Sendable {
        var subject: Data?
        var description: Data?
        var attendees: Data?
    }

    /// Seals what `new` has in clear for the row `id`. `attendeesJSON` is `attendeesJSON(new.attendees)` when the
    /// caller has it already (a mail's list is the same for each of its people).
    static func sealedFields(
        _ new: NewInteraction, id: UUID, owner: OwnerID, cipher: FieldCipher, attendeesJSON: String? = nil
    ) throws
        -> SealedFields
    {
        let rowID = id.lowercaseString
        var sealed = SealedFields()
        sealed.subject = try new.subject.map {
            try cipher.seal($0, context: interactionContext(rowID, "sealed_subject", owner))
        }
        sealed.description = try new.description.map {
            try cipher.seal($0, context: interactionContext(rowID, "sealed_description", owner))
        }
        if !new.attendees.isEmpty {
            let list = try attendeesJSON ?? Self.attendeesJSON(new.attendees)
            sealed.attendees = try cipher.seal(list, context: interactionContext(rowID, "sealed_attendees", owner))
        }
        return sealed
    }

    /// The attendee list as it is sealed: a JSON array of strings.
    static func attendeesJSON(_ attendees: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(attendees), as: UTF8.self)
    }

    /// The person's interactions in time order (newest first unless `oldestFirst`), a page at a time.
    func timeline(of personID: UUID?, oldestFirst: Bool, cursor: String?, limit: Int) async throws
        -> (items: [OpenedInteraction], next: String?)
    {
        let person = try await person(personID)
        let offset = try ListCursor.decode(cursor, list: "timeline", as: Int.self) ?? 0
        guard offset >= 0 else { throw ListCursorError() }
        let rows = try await Interaction.query(on: db).filter(\.$person.$id == (try person.requireID())).filter(
            \.$ownerID == actorID
        )
        .sort(\.$occurredAt, oldestFirst ? .ascending : .descending).sort(\.$id).offset(offset).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        return (try await open(page), rows.count > limit ? ListCursor.encode(offset + limit, list: "timeline") : nil)
    }

    func contactSummary(of person: Person) async throws -> ContactSummary {
        let personID = try person.requireID()
        let rows = try await Interaction.query(on: db).filter(\.$person.$id == personID).filter(\.$ownerID == actorID)
            .all()
        var counts: [InteractionKind: Int] = [:]
        for row in rows {
            guard let kind = InteractionKind(rawValue: row.kind) else { continue }
            counts[kind, default: 0] += row.count
        }
        let first = rows.min { ($0.occurredAt, $0.id?.uuidString ?? "") < ($1.occurredAt, $1.id?.uuidString ?? "") }
        let opened = try await open(first.map { [$0] } ?? [])
        return ContactSummary(
            firstContact: opened.first, lastContactAt: rows.map(\.occurredAt).max(),
            counts: counts)
    }

    /// Keeps a person's first and last contact and interaction count in step with their interactions.
    static func refreshContactStats(of personID: UUID, on tx: any Database) async throws {
        try await refreshContactStats(of: [personID], on: tx)
    }

    /// One statement for any number of people (an import batch touches hundreds).
    static func refreshContactStats(of people: Set<UUID>, on tx: any Database) async throws {
        let sql = try tx.sql()
        for chunk in Array(people).chunked(by: 500) {
            try await sql.raw(
                """
                UPDATE \(ident: Person.schema) SET
                interaction_count = (SELECT COUNT(*) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id),
                first_contact_at = (SELECT MIN(i.occurred_at) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id),
                last_contact_at = (SELECT MAX(i.occurred_at) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id)
                WHERE id IN (\(binds: Array(chunk)))
                """
            ).run()
        }
    }

    /// What a batch added to one person's interactions, for `addToContactStats`.
    struct ContactStatsDelta {
        var count = 0
        var first: Date = .distantFuture
        var last: Date = .distantPast

        mutating func add(_ occurredAt: Date) {
            count += 1
            first = min(first, occurredAt)
            last = max(last, occurredAt)
        }
    }

    /// Brings the contact figures of people up to date with interactions just added, without reading the
    /// interactions they had already: `refreshContactStats` counts a person's whole history, which an import
    /// would otherwise do again after every batch for everyone on it (a long correspondence, hundreds of times).
    /// The result is the same as a refresh as long as only insertions happened since the figures were right.
    static func addToContactStats(_ deltas: [UUID: ContactStatsDelta], on tx: any Database) async throws {
        let sql = try tx.sql()
        // The figures travel as a table of values joined to the people (UPDATE … FROM, which SQLite and PostgreSQL
        // both speak): a CASE branch per person made SQLite compare every bound value with every other while
        // preparing the statement, a visible share of an import.
        for chunk in Array(deltas).chunked(by: 200) {
            var rows = SQLQueryString("")
            for (index, (id, delta)) in chunk.enumerated() {
                rows.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                rows.appendInterpolation(bind: id)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.count)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.first)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.last)
                rows.appendInterpolation(unsafeRaw: ")")
            }
            try await sql.raw(
                """
                WITH delta (person_id, added, earliest, latest) AS (VALUES \(rows))
                UPDATE \(ident: Person.schema) SET
                interaction_count = interaction_count + delta.added,
                first_contact_at = CASE WHEN first_contact_at IS NULL OR first_contact_at > delta.earliest THEN delta.earliest
                    ELSE first_contact_at END,
                last_contact_at = CASE WHEN last_contact_at IS NULL OR last_contact_at < delta.latest THEN delta.latest
                    ELSE last_contact_at END
                FROM delta WHERE \(ident: Person.schema).id = delta.person_id
                """
            ).run()
        }
    }

    private func open(_ rows: [Interaction]) async throws -> [OpenedInteraction] {
        guard !rows.isEmpty else { return [] }
        let cipher = try await keyring.fieldCipher(for: owner, on: db)
        let owner = self.owner
        return try rows.map { row in
            let id = try row.requireID()
            let attendees = try row.sealedAttendees.map {
                try JSONDecoder().decode(
                    [String].self,
                    from: cipher.open($0, context: Self.interactionContext(id, "sealed_attendees", owner)))
            }
            return OpenedInteraction(
                id: id, kind: InteractionKind(rawValue: row.kind) ?? .mail, occurredAt: row.occurredAt,
                source: row.source,
                count: row.count,
                subject: try row.sealedSubject.map {
                    try cipher.openString($0, context: Self.interactionContext(id, "sealed_subject", owner))
                },
                description: try row.sealedDescription.map {
                    try cipher.openString($0, context: Self.interactionContext(id, "sealed_description", owner))
                },
                attendees: attendees ?? [])
        }
    }

    static func interactionContext(_ id: UUID, _ column: String, _ owner: OwnerID) -> FieldContext {
        interactionContext(id.lowercaseString, column, owner)
    }

    /// The same for a row whose identifier is already written out (`UUID.lowercaseString`).
    static func interactionContext(_ rowID: String, _ column: String, _ owner: OwnerID) -> FieldContext {
        FieldContext(table: Interaction.schema, column: column, rowID: rowID, owner: owner)
    }

    private static func validate(_ new: NewInteraction) throws {
        let texts = [new.subject, new.description].compactMap { $0 } + new.attendees
        guard texts.allSatisfy({ $0.count <= maximumInteractionText }), new.attendees.count <= 1_000 else {
            throw PeopleError.invalidInteraction(
                "A subject, description or attendee may have at most 10,000 characters.")
        }
        guard new.count >= 1, new.count <= 1_000_000 else {
            throw PeopleError.invalidInteraction("A day's message count is a whole number from 1.")
        }
        guard (new.key ?? "").count <= 500 else {
            throw PeopleError.invalidInteraction("A key has at most 500 characters.")
        }
    }

    /// A key for an interaction that came without one: the same kind at the same second (for messages, on
    /// the same day) is the same interaction. The subject stays out of it, so no digest of it is stored.
    private static func stableKey(_ new: NewInteraction) -> String {
        let seconds = Int(new.occurredAt.timeIntervalSince1970.rounded(.down))
        return "t:\(new.kind.rawValue):\(new.kind == .message ? seconds / 86_400 : seconds)"
    }
}
