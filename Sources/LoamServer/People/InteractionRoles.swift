import Fluent
import Foundation

/// Who was on a mail or a meeting, in which role, and which way a mail went. Sealed like the subject, in its own
/// column (`sealed_roles`), so the attendee list of earlier rows stays as it was.
struct InteractionRoles: Codable, Sendable, Equatable {
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

/// Adds `interactions.sealed_roles`. Rows already there keep none: the roles of an interaction come with a newer
/// import of the same file.
struct AddInteractionRoles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Interaction.schema).field("sealed_roles", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Interaction.schema).deleteField("sealed_roles").update()
    }
}
