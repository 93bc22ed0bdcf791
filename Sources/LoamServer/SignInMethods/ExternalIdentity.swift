import Fluent
import Foundation

/// A provider account linked to a Loam account, found by the provider's stable subject (`sub`),
/// never by its email: an address can move between people, a subject cannot.
final class ExternalIdentity: Model, @unchecked Sendable {
    static let schema = "external_identities"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "user_id") var user: User
    /// The provider's id in the configuration (`google`, `apple`, …).
    @Field(key: "provider") var provider: String
    @Field(key: "subject") var subject: String
    /// The address the provider last reported, shown on the sign-in methods page (an Apple relay address stays one).
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}

    init(userID: UUID, provider: String, subject: String, email: String?, now: Date) {
        self.$user.id = userID
        self.provider = provider
        self.subject = subject
        self.email = email
        self.lastUsedAt = now
    }
}

struct CreateExternalIdentities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExternalIdentity.schema)
            .id()
            .field("created_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("provider", .string, .required)
            .field("subject", .string, .required)
            .field("email", .string)
            .field("last_used_at", .datetime)
            .unique(on: "provider", "subject", name: "external_identities_subject_unique")
            .unique(on: "user_id", "provider", name: "external_identities_user_provider_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExternalIdentity.schema).delete()
    }
}
