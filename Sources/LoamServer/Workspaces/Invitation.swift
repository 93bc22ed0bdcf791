import Fluent
import Foundation

/// An invitation to a workspace, bound to one address. Its link's secret is derived from `id` and `nonce`
/// with a server key (`LinkSecret`), never stored, so the inviter can copy the link again and a resend
/// keeps the same link.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "inviter_id") var inviter: User
    /// Lower-cased, like account addresses.
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @Field(key: "nonce") var nonce: String
    @Field(key: "expires_at") var expiresAt: Date
    /// The latest mail sent for it, whose delivery state the inviter sees.
    @OptionalField(key: "mail_id") var mailID: UUID?
    @Field(key: "send_count") var sendCount: Int
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalField(key: "accepted_by") var acceptedBy: UUID?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// When the invitee last asked the inviter for a new one: at most once an hour.
    @OptionalField(key: "resend_requested_at") var resendRequestedAt: Date?

    init() {}

    init(
        id: UUID, workspaceID: UUID, inviterID: UUID, email: String, role: WorkspaceRole, nonce: String, expiresAt: Date
    ) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$inviter.id = inviterID
        self.email = email
        self.role = role.rawValue
        self.nonce = nonce
        self.expiresAt = expiresAt
        self.sendCount = 0
    }

    var workspaceRole: WorkspaceRole { WorkspaceRole(rawValue: role) ?? .member }
}

/// One invitation mail sent (first send or resend), for the per-workspace and per-inviter limits.
final class InvitationSend: Model, @unchecked Sendable {
    static let schema = "invitation_sends"

    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "inviter_id") var inviterID: UUID
    @Field(key: "invitation_id") var invitationID: UUID
    @Field(key: "sent_at") var sentAt: Date

    init() {}

    init(workspaceID: UUID, inviterID: UUID, invitationID: UUID, sentAt: Date) {
        self.workspaceID = workspaceID
        self.inviterID = inviterID
        self.invitationID = invitationID
        self.sentAt = sentAt
    }
}

struct CreateInvitations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .id()
            .field("created_at", .datetime)
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("inviter_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("nonce", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("mail_id", .uuid)
            .field("send_count", .int, .required)
            .field("accepted_at", .datetime)
            .field("accepted_by", .uuid)
            .field("revoked_at", .datetime)
            .field("resend_requested_at", .datetime)
            .create()
        try await database.schema(InvitationSend.schema)
            .id()
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("inviter_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("invitation_id", .uuid, .required, .references(Invitation.schema, "id", onDelete: .cascade))
            .field("sent_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InvitationSend.schema).delete()
        try await database.schema(Invitation.schema).delete()
    }
}
