import Fluent
import Foundation

/// One security event in a user's own audit log.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "user_id") var user: User
    @Field(key: "kind") var kind: AuditKind
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "device") var device: String?
    /// A short fixed phrase (a restriction's reason), never free text from a request.
    @OptionalField(key: "detail") var detail: String?

    init() {}

    init(userID: UUID, kind: AuditKind, clientAddress: String?, device: String?, detail: String? = nil) {
        self.$user.id = userID
        self.kind = kind
        self.clientAddress = clientAddress
        self.device = device
        self.detail = detail
    }
}

enum AuditKind: String, Codable, Sendable {
    case accountCreated = "account-created"
    case emailVerified = "email-verified"
    case signedIn = "signed-in"
    case signInFailed = "sign-in-failed"
    case signInThrottled = "sign-in-throttled"
    case signInRefusedRestricted = "sign-in-refused-restricted"
    case signedOut = "signed-out"
    case sessionRevoked = "session-revoked"
    case otherSessionsRevoked = "other-sessions-revoked"
    case passwordChanged = "password-changed"
    case passwordReset = "password-reset"
    case recoveryRequested = "recovery-requested"
    case restricted
    case unrestricted
    case emailChangeRequested = "email-change-requested"
    case emailChanged = "email-changed"
    case emailChangeUndone = "email-change-undone"
    case settingsChanged = "settings-changed"
    case signInMethodAdded = "sign-in-method-added"
    case signInMethodRemoved = "sign-in-method-removed"
    case reauthenticated
}

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("created_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("client_address", .string)
            .field("device", .string)
            .field("detail", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}

/// Failed sign-ins by client address, for the per-address cap (whatever account was tried).
final class SignInFailure: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "failed_at") var failedAt: Date

    init() {}

    init(clientAddress: String, failedAt: Date) {
        self.clientAddress = clientAddress
        self.failedAt = failedAt
    }
}

struct CreateSignInFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema)
            .id()
            .field("client_address", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema).delete()
    }
}
