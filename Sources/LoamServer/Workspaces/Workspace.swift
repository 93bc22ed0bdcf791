import Fluent
import Foundation

/// A team space. Members have roles; it has its own data key (for notes shared into it, Step 7 point 4).
final class Workspace: Model, @unchecked Sendable {
    static let schema = "workspaces"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "name") var name: String

    init() {}

    init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// What a member may do: owners everything (one owner at all times), admins manage members and
/// invitations, members take part.
enum WorkspaceRole: String, Codable, CaseIterable, Sendable, Comparable {
    case member
    case admin
    case owner

    private var rank: Int {
        switch self {
        case .member: 0
        case .admin: 1
        case .owner: 2
        }
    }

    static func < (lhs: WorkspaceRole, rhs: WorkspaceRole) -> Bool { lhs.rank < rhs.rank }

    var canManageMembers: Bool { self >= .admin }
}

final class WorkspaceMember: Model, @unchecked Sendable {
    static let schema = "workspace_members"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: String

    init() {}

    init(workspaceID: UUID, userID: UUID, role: WorkspaceRole) {
        self.$workspace.id = workspaceID
        self.$user.id = userID
        self.role = role.rawValue
    }

    var workspaceRole: WorkspaceRole { WorkspaceRole(rawValue: role) ?? .member }
}

struct CreateWorkspaces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Workspace.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("name", .string, .required)
            .create()
        try await database.schema(WorkspaceMember.schema)
            .id()
            .field("created_at", .datetime)
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .unique(on: "workspace_id", "user_id", name: "workspace_members_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkspaceMember.schema).delete()
        try await database.schema(Workspace.schema).delete()
    }
}
