import Fluent
import Foundation

/// A signed-in device: a browser's cookie or an API client's bearer token. Only the token's hash is stored.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// The absolute expiry: the latest the session can last, however active.
    @Field(key: "expires_at") var expiresAt: Date
    /// When the user last proved who they are (sign-in, password entry): step-up checks read it.
    @Field(key: "authenticated_at") var authenticatedAt: Date
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "device") var device: String?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String, now: Date, expiresAt: Date, clientAddress: String?, device: String?) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.lastSeenAt = now
        self.expiresAt = expiresAt
        self.authenticatedAt = now
        self.clientAddress = clientAddress
        self.device = device
    }
}

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("created_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("authenticated_at", .datetime, .required)
            .field("client_address", .string)
            .field("device", .string)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "sessions_token_hash_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).delete()
    }
}
