import Fluent
import Foundation

/// A member's group shared into a workspace: the other members see those people's names, companies and
/// titles, never their contact details.
final class SharedGroup: Model, @unchecked Sendable {
    static let schema = "workspace_shared_groups"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "group_id") var group: PersonGroup
    /// The member who shared it (the group's owner).
    @Field(key: "shared_by") var sharedBy: UUID

    init() {}

    init(workspaceID: UUID, groupID: UUID, sharedBy: UUID) {
        self.$workspace.id = workspaceID
        self.$group.id = groupID
        self.sharedBy = sharedBy
    }
}

/// A note written for a workspace about a person shared into it: every member can read it, and it is
/// sealed with the workspace's data key, not its author's.
final class WorkspaceNote: Model, @unchecked Sendable {
    static let schema = "workspace_notes"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Parent(key: "person_id") var person: Person
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "sealed_body") var sealedBody: Data

    init() {}

    init(id: UUID, workspaceID: UUID, personID: UUID, authorID: UUID, sealedBody: Data) {
        self.id = id
        self.$workspace.id = workspaceID
        self.$person.id = personID
        self.authorID = authorID
        self.sealedBody = sealedBody
    }
}

struct CreateWorkspaceSharing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SharedGroup.schema)
            .id()
            .field("created_at", .datetime)
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(PersonGroup.schema, "id", onDelete: .cascade))
            .field("shared_by", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "workspace_id", "group_id", name: "workspace_shared_groups_unique")
            .create()
        try await database.schema(WorkspaceNote.schema)
            .id()
            .field("created_at", .datetime)
            .field("workspace_id", .uuid, .required, .references(Workspace.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("sealed_body", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkspaceNote.schema).delete()
        try await database.schema(SharedGroup.schema).delete()
    }
}
