import Fluent
import Foundation

/// A mail waiting to leave, or the record that it left.
///
/// The envelope (addresses and the whole message, whose links carry tokens) is sealed under the
/// server's outbox key and erased once delivered; what stays is the state a user or operator sees.
final class OutboxMail: Model, @unchecked Sendable {
    static let schema = "outbox_mails"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// `<…@host>` without brackets; the same on every attempt.
    @Field(key: "message_id") var messageID: String
    /// What the mail is for (`invitation`, `verification`, `test`): for operators, never personal.
    @Field(key: "category") var category: String
    @Field(key: "state") var state: OutboxMailState
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// Where the file transport wrote it (a file name with no personal data), when it did.
    @OptionalField(key: "delivered_to") var deliveredTo: String?
    @OptionalField(key: "sealed_envelope") var sealedEnvelope: Data?

    init() {}

    init(id: UUID, messageID: String, category: String) {
        self.id = id
        self.messageID = messageID
        self.category = category
        self.state = .queued
        self.attempts = 0
    }
}

public enum OutboxMailState: String, Codable, Sendable {
    case queued
    /// At least one attempt failed; another is scheduled.
    case retrying
    case sent
    /// Given up: a permanent refusal, or out of attempts.
    case failed
}

struct CreateOutboxMails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("message_id", .string, .required)
            .field("category", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .field("delivered_to", .string)
            .field("sealed_envelope", .data)
            .unique(on: "message_id", name: "outbox_mails_message_id_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMail.schema).delete()
    }
}
