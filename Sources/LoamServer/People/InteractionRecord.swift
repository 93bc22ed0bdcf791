import Fluent
import FluentSQL
import Foundation
import LoamKit
import SQLKit

/// How an interaction is stored, whoever writes it (the scope, the batch writer, an import's prepared rows): its
/// dedup key, its sealed columns and the blind-index tokens of its subject. One definition, so every write path
/// seals and tokenizes alike.
enum InteractionRecord {
    static let subjectSearchField = "interactions.subject"

    static let maximumText = 10_000

    /// The blind-index tokens of a subject as the interaction stores them (`SearchEntry.joined`); empty when it has
    /// no searchable word. Every path that writes an interaction (the scope, the batch writer, the prepared rows of
    /// an import) tokenizes through here.
    static func subjectTokens(_ subject: String, blindIndex: BlindIndex) -> String {
        SearchEntry.joined(blindIndex.tokens(for: subject, column: subjectSearchField))
    }

    static let dedupColumn = "interactions.dedup_key"

    /// The key that makes an interaction the same one when it comes again: a keyed hash (`h:` and a blind-index
    /// token) of its Message-ID, UID or handle and day, so none of them is stored in clear.
    static func dedupKey(_ new: NewInteraction, blindIndex: BlindIndex) -> String {
        hashedKey(legacyKey(new), blindIndex: blindIndex)
    }

    /// The keyed hash of a key as rows from before sealing hold it; what `SealPeopleRecordsJob` turns them into.
    static func hashedKey(_ legacyKey: String, blindIndex: BlindIndex) -> String {
        "h:" + blindIndex.exactToken(legacyKey, column: dedupColumn)
    }

    /// The key as it was stored in clear before dedup keys were hashed (`k:` and the given key, or the stable key).
    static func legacyKey(_ new: NewInteraction) -> String {
        new.key.map { "k:" + $0 } ?? stableKey(new)
    }

    /// A new interaction row with its subject, description and attendees sealed under the owner's key, bound to the row.
    static func sealedRow(
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
        row.sealedRoles = sealed.roles
        return row
    }

    /// An interaction's sealed columns, each bound to the row `id`, its column and the owner.
    struct SealedFields: Sendable {
        var subject: Data?
        var description: Data?
        var attendees: Data?
        var roles: Data?
    }

    /// Seals what `new` has in clear for the row `id`. `attendeesJSON` is `attendeesJSON(new.attendees)` and
    /// `rolesJSON` the JSON of `new.roles` when the caller has them already (the same for each person on a mail).
    static func sealedFields(
        _ new: NewInteraction, id: UUID, owner: OwnerID, cipher: FieldCipher, attendeesJSON: String? = nil,
        rolesJSON: Data? = nil
    ) throws
        -> SealedFields
    {
        let rowID = id.lowercaseString
        var sealed = SealedFields()
        sealed.subject = try new.subject.map {
            try cipher.seal($0, context: context(rowID, "sealed_subject", owner))
        }
        sealed.description = try new.description.map {
            try cipher.seal($0, context: context(rowID, "sealed_description", owner))
        }
        if let roles = new.roles {
            // The roles name everyone on it: the attendee list is read from them (`attendees(from:)`), not stored
            // twice.
            let json = try rolesJSON ?? roles.storageJSON()
            sealed.roles = try cipher.seal(json, context: context(rowID, "sealed_roles", owner))
        } else if !new.attendees.isEmpty {
            let list = try attendeesJSON ?? Self.attendeesJSON(new.attendees)
            sealed.attendees = try cipher.seal(list, context: context(rowID, "sealed_attendees", owner))
        }
        return sealed
    }

    /// The attendee list of a row that stores roles instead: each address once, in order.
    static func attendees(from roles: InteractionRoles) -> [String] {
        var seen: Set<String> = []
        return roles.participants.map(\.address).filter { seen.insert($0).inserted }
    }

    /// The attendee list as it is sealed: a JSON array of strings.
    static func attendeesJSON(_ attendees: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(attendees), as: UTF8.self)
    }

    static func context(_ id: UUID, _ column: String, _ owner: OwnerID) -> FieldContext {
        context(id.lowercaseString, column, owner)
    }

    /// The same for a row whose identifier is already written out (`UUID.lowercaseString`).
    static func context(_ rowID: String, _ column: String, _ owner: OwnerID) -> FieldContext {
        FieldContext(table: Interaction.schema, column: column, rowID: rowID, owner: owner)
    }

    static func validate(_ new: NewInteraction) throws {
        let texts = [new.subject, new.description].compactMap { $0 } + new.attendees
        guard texts.allSatisfy({ $0.count <= maximumText }), new.attendees.count <= 1_000 else {
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

extension InteractionRecord {
    /// Finding stored interactions by person and dedup key, many at once: re-imports filling roles, writers looking
    /// for keys stored before hashing, and the job that hashes them.
    enum Stored {
        struct Pair: Hashable, Sendable {
            var personID: UUID
            var key: String

            init(_ personID: UUID, _ key: String) {
                self.personID = personID
                self.key = key
            }
        }

        /// The stored rows among `pairs` (only those without roles, if asked), a query per 250 pairs.
        static func find(_ pairs: [Pair], withoutRoles: Bool = false, on sql: any SQLDatabase) async throws
            -> [(id: UUID, pair: Pair)]
        {
            let wanted = Set(pairs)
            var result: [(id: UUID, pair: Pair)] = []
            for chunk in Array(wanted).chunked(by: 250) {
                let people = Array(Set(chunk.map(\.personID)))
                let keys = Array(Set(chunk.map(\.key)))
                let rows = try await sql.raw(
                    """
                    SELECT id, person_id, dedup_key FROM \(ident: Interaction.schema)
                    WHERE person_id IN (\(binds: people)) AND dedup_key IN (\(binds: keys))
                    \(unsafeRaw: withoutRoles ? "AND sealed_roles IS NULL" : "")
                    """
                ).all()
                for row in rows {
                    let pair = Pair(
                        try row.decodeUUID(column: "person_id"), try row.decode(column: "dedup_key", as: String.self))
                    if wanted.contains(pair) { result.append((try row.decodeUUID(column: "id"), pair)) }
                }
            }
            return result
        }
    }
}
