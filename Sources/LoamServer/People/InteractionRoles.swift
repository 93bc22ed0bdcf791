import Fluent
import Foundation

/// Who was on a mail or a meeting, in which role, and which way a mail went. Sealed like the subject, in its own
/// column (`sealed_roles`). A row with roles stores no separate attendee list: it is the roles' addresses.
struct InteractionRoles: Codable, Sendable, Hashable {
    enum Direction: String, Codable, Sendable {
        /// The owner wrote it (one of their addresses is in From).
        case sent
        case received
    }

    struct Participant: Codable, Sendable, Equatable, Hashable {
        var address: String
        /// A mail's `from`, `sender`, `reply-to`, `to`, `cc` or `bcc`; a meeting's `organizer` or `attendee`.
        var role: String
        /// A meeting attendee's answer (`accepted`, `tentative`, `needs-action`, …).
        var answer: String?
    }

    /// A mail's; nil for a meeting.
    var direction: Direction?
    /// Everyone on it but the owner, once per role, in the order the mail or event gives them.
    var participants: [Participant]
}

/// Adds `interactions.sealed_roles`. Rows already there get their roles when the same file is imported again
/// (`PeopleBatchWriter.fillMissingRoles`).
struct AddInteractionRoles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Interaction.schema).field("sealed_roles", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Interaction.schema).deleteField("sealed_roles").update()
    }
}

extension InteractionRoles {
    /// The stored form: one-letter keys and role codes, because it is sealed once per person on every mail
    /// (a 200 MB mailbox holds about 87,000 of them) and the wire names would add a sixth to the database.
    private struct Stored: Codable {
        var d: String?
        var p: [[String]]
    }

    private static let roleCodes: [String: String] = [
        "from": "f", "sender": "s", "reply-to": "r", "to": "t", "cc": "c", "bcc": "b", "organizer": "o",
        "attendee": "a",
    ]
    private static let roleNames = Dictionary(uniqueKeysWithValues: roleCodes.map { ($1, $0) })

    /// What is sealed: `{"d":"s"|"r","p":[[address, role code, answer?], …]}`.
    func storageJSON() throws -> Data {
        let stored = Stored(
            d: direction.map { $0 == .sent ? "s" : "r" },
            p: participants.map { [$0.address, Self.roleCodes[$0.role] ?? $0.role] + ($0.answer.map { [$0] } ?? []) })
        return try JSONEncoder().encode(stored)
    }

    init(storageJSON data: Data) throws {
        let stored = try JSONDecoder().decode(Stored.self, from: data)
        direction = stored.d.map { $0 == "s" ? .sent : .received }
        participants = stored.p.compactMap { entry in
            guard entry.count >= 2 else { return nil }
            return Participant(
                address: entry[0], role: Self.roleNames[entry[1]] ?? entry[1], answer: entry.count > 2 ? entry[2] : nil)
        }
    }
}
