import Crypto
import Fluent
import Foundation

/// An account. The address is stored lower-cased, so addresses compare case-insensitively.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    /// A PHC string; nil for an account that signs in only with a provider (Step 5).
    @OptionalField(key: "password_hash") var passwordHash: String?
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    @Field(key: "time_zone") var timeZone: String
    /// ISO 3166 region used to read phone numbers without a country code.
    @Field(key: "phone_region") var phoneRegion: String
    /// An operator: may restrict accounts and, later, answer support.
    @Field(key: "is_admin") var isAdmin: Bool
    /// Why an operator restricted the account (`RestrictionReason`), nil when it is not restricted.
    @OptionalField(key: "restriction_reason") var restrictionReason: String?
    @OptionalField(key: "restricted_at") var restrictedAt: Date?
    /// No longer read or written by sign-in: the back-off is kept by address in `sign_in_throttles`
    /// (`SignInThrottleStore`), where unknown addresses are throttled alike and parallel attempts are
    /// counted atomically. The columns stay so older databases need no migration.
    @Field(key: "failed_sign_ins") var failedSignIns: Int
    @OptionalField(key: "last_failed_sign_in_at") var lastFailedSignInAt: Date?
    /// No longer written: recovery mails are limited by `AccountService.limitAccountMail`. Kept for older databases.
    @OptionalField(key: "last_recovery_mail_at") var lastRecoveryMailAt: Date?

    init() {}

    init(email: String, name: String, passwordHash: String?) {
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.timeZone = "UTC"
        self.phoneRegion = "US"
        self.isAdmin = false
        self.failedSignIns = 0
    }

    var isVerified: Bool { emailVerifiedAt != nil }
    var restriction: RestrictionReason? { restrictionReason.flatMap(RestrictionReason.init(rawValue:)) }

    /// A SHA-256 of the normalized address under `purpose`: how throttles and limits name an address without
    /// keeping it in clear (most addresses they see have no account).
    static func digest(ofEmail email: String, purpose: String) -> String {
        SHA256.hash(data: Data(("loam-\(purpose):" + normalize(email: email)).utf8)).map { String(format: "%02x", $0) }
            .joined()
    }

    /// Normalizes an address for storage and lookup.
    static func normalize(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// Why an operator restricted an account, each with what the person is told and how to get access back.
enum RestrictionReason: String, CaseIterable, Codable, Sendable {
    case suspectedSpam = "suspected-spam"
    case compromised
    case abuse
    case `operator`

    var title: String {
        switch self {
        case .suspectedSpam: "suspected spam"
        case .compromised: "the account may be compromised"
        case .abuse: "a report of abuse"
        case .operator: "a decision by the operator of this Loam server"
        }
    }

    var howToRecover: String {
        switch self {
        case .suspectedSpam:
            "Reply to the mail we sent you, or write to the operator of this server, saying what you use Loam for; access is restored once it is checked."
        case .compromised:
            "Reset your password from the \"Can't sign in?\" page; once your address is confirmed the operator restores access."
        case .abuse:
            "Write to the operator of this server to hear what was reported and to answer it."
        case .operator:
            "Write to the operator of this server; they can lift the restriction."
        }
    }
}

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string)
            .field("email_verified_at", .datetime)
            .field("time_zone", .string, .required)
            .field("phone_region", .string, .required)
            .field("is_admin", .bool, .required)
            .field("restriction_reason", .string)
            .field("restricted_at", .datetime)
            .field("failed_sign_ins", .int, .required)
            .field("last_failed_sign_in_at", .datetime)
            .field("last_recovery_mail_at", .datetime)
            .unique(on: "email", name: "users_email_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
