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
    /// Roles and direction, for mail and meetings from files.
    var roles: InteractionRoles?
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
    /// `sent` or `received`, for a mail that recorded it.
    var direction: InteractionRoles.Direction?
    /// Everyone on it and in which role, when it was recorded.
    var participants: [InteractionRoles.Participant]?
}

/// "How you know them", last contact and how much contact there was.
struct ContactSummary: Sendable {
    var firstContact: OpenedInteraction?
    var lastContactAt: Date?
    /// Interactions per kind; for messages, the number of messages.
    var counts: [InteractionKind: Int]
}

extension PeopleScope {
    /// Records an interaction; the same one again (same key) adds nothing and answers the first (`created` false).
    func addInteraction(to personID: UUID?, _ new: NewInteraction) async throws -> (OpenedInteraction, created: Bool) {
        let person = try await person(personID)
        try InteractionRecord.validate(new)
        let personID = try person.requireID()
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let (row, created) = try await db.writeTransaction { tx -> (Interaction, Bool) in
            let blindIndex = try await keyring.blindIndex(for: owner, on: tx)
            let key = InteractionRecord.dedupKey(new, blindIndex: blindIndex)
            // The key as rows from before hashing hold it, while such rows may remain.
            var keys = [key]
            if try await SealPeopleRecordsJob.isPending(on: tx) { keys.append(InteractionRecord.legacyKey(new)) }
            if let existing = try await Interaction.query(on: tx).filter(\.$person.$id == personID).filter(
                \.$dedupKey ~~ keys
            ).first() {
                return (existing, false)
            }
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let row = try InteractionRecord.sealedRow(
                new, key: key, personID: personID, ownerID: actorID, owner: owner, cipher: cipher)
            if let subject = new.subject {
                let tokens = InteractionRecord.subjectTokens(subject, blindIndex: blindIndex)
                row.searchTokens = tokens.isEmpty ? nil : tokens
            }
            try await row.create(on: tx)
            try await ContactStats.refresh(of: personID, on: tx)
            return (row, true)
        }
        return (try await open([row]).first!, created)
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

    private func open(_ rows: [Interaction]) async throws -> [OpenedInteraction] {
        guard !rows.isEmpty else { return [] }
        let cipher = try await keyring.fieldCipher(for: owner, on: db)
        let owner = self.owner
        return try rows.map { row in
            let id = try row.requireID()
            let attendees = try row.sealedAttendees.map {
                try JSONDecoder().decode(
                    [String].self,
                    from: cipher.open($0, context: InteractionRecord.context(id, "sealed_attendees", owner)))
            }
            let roles = try row.sealedRoles.map {
                try InteractionRoles(
                    storageJSON: cipher.open($0, context: InteractionRecord.context(id, "sealed_roles", owner)))
            }
            return OpenedInteraction(
                id: id, kind: InteractionKind(rawValue: row.kind) ?? .mail, occurredAt: row.occurredAt,
                source: row.source,
                count: row.count,
                subject: try row.sealedSubject.map {
                    try cipher.openString($0, context: InteractionRecord.context(id, "sealed_subject", owner))
                },
                description: try row.sealedDescription.map {
                    try cipher.openString($0, context: InteractionRecord.context(id, "sealed_description", owner))
                },
                attendees: attendees ?? roles.map(InteractionRecord.attendees(from:)) ?? [],
                direction: roles?.direction, participants: roles?.participants)
        }
    }
}
