import Fluent
import Foundation

/// What Loam remembers between sending a browser to a provider and its coming back: the `state`
/// (stored as its hash, used once), the `nonce` the ID token must carry, the PKCE verifier, and the
/// browser it was started in. Kept server-side, keyed by state, because Apple's answer is a
/// cross-site POST that carries no SameSite=Lax cookie.
final class PreAuthentication: Model, @unchecked Sendable {
    static let schema = "oidc_pre_authentications"
    /// Long enough to type a password at the provider, short enough that a stolen state is worthless.
    static let lifetime: TimeInterval = 10 * 60

    enum Purpose: String, Codable, Sendable {
        /// Sign in, or sign up when the subject is new.
        case signIn = "sign-in"
        /// Add the provider to the signed-in account (after step-up).
        case link
        /// Prove again who you are (step-up) for an account without a password.
        case reauthenticate
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "state_hash") var stateHash: String
    @Field(key: "provider") var provider: String
    @Field(key: "purpose") var purpose: Purpose
    /// The signed-in account for `link` and `reauthenticate`.
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "nonce") var nonce: String
    @Field(key: "code_verifier") var codeVerifier: String
    /// Hash of the `loam_oidc` cookie set when the flow started; nil for form_post providers, whose
    /// callback arrives without it (their state and nonce, single-use and short-lived, stand alone).
    @OptionalField(key: "browser_hash") var browserHash: String?
    /// A local path to continue to afterwards (an invitation, the settings page).
    @OptionalField(key: "return_to") var returnTo: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(
        stateHash: String, provider: String, purpose: Purpose, userID: UUID?, nonce: String, codeVerifier: String,
        browserHash: String?, returnTo: String?, expiresAt: Date
    ) {
        self.stateHash = stateHash
        self.provider = provider
        self.purpose = purpose
        self.userID = userID
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.browserHash = browserHash
        self.returnTo = returnTo
        self.expiresAt = expiresAt
    }
}

/// A provider identity waiting to be linked: its verified email belongs to an account that has not
/// linked it yet. It links only after the person signs in to that account another way.
final class PendingLink: Model, @unchecked Sendable {
    static let schema = "oidc_pending_links"
    static let lifetime: TimeInterval = 15 * 60

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Field(key: "provider") var provider: String
    @Field(key: "subject") var subject: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(tokenHash: String, userID: UUID, provider: String, subject: String, email: String?, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.provider = provider
        self.subject = subject
        self.email = email
        self.expiresAt = expiresAt
    }
}

struct CreatePreAuthentications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PreAuthentication.schema)
            .id()
            .field("created_at", .datetime)
            .field("state_hash", .string, .required)
            .field("provider", .string, .required)
            .field("purpose", .string, .required)
            .field("user_id", .uuid, .references(User.schema, "id", onDelete: .cascade))
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("browser_hash", .string)
            .field("return_to", .string)
            .field("expires_at", .datetime, .required)
            .unique(on: "state_hash", name: "oidc_pre_authentications_state_unique")
            .create()
        try await database.schema(PendingLink.schema)
            .id()
            .field("created_at", .datetime)
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("provider", .string, .required)
            .field("subject", .string, .required)
            .field("email", .string)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash", name: "oidc_pending_links_token_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PendingLink.schema).delete()
        try await database.schema(PreAuthentication.schema).delete()
    }
}
