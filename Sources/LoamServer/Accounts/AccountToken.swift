import Fluent
import Foundation

/// A single-use link sent by mail: verify an address, reset a password. Only its hash is stored.
final class AccountToken: Model, @unchecked Sendable {
    static let schema = "account_tokens"

    enum Purpose: String, Codable, Sendable {
        case verifyEmail = "verify-email"
        case resetPassword = "reset-password"
        /// Sent to the new address: proves it before the account moves there.
        case changeEmail = "change-email"
        /// Sent to the old address after a change: moves the account back.
        case undoEmailChange = "undo-email-change"
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "user_id") var user: User
    @Field(key: "purpose") var purpose: Purpose
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    /// The address an email change moves to (or, for an undo, back to).
    @OptionalField(key: "email") var email: String?

    init() {}

    init(userID: UUID, purpose: Purpose, tokenHash: String, expiresAt: Date, email: String? = nil) {
        self.$user.id = userID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.email = email
    }
}

struct CreateAccountTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountToken.schema)
            .id()
            .field("created_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("email", .string)
            .unique(on: "token_hash", name: "account_tokens_hash_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountToken.schema).delete()
    }
}
