import Fluent
import Foundation

/// A named set of a user's people ("Climbing club", "Acme deal"), for filtering and keep-in-touch cadences.
final class PersonGroup: Model, @unchecked Sendable {
    static let schema = "person_groups"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "name") var name: String

    init() {}

    init(ownerID: UUID, name: String) {
        self.ownerID = ownerID
        self.name = name
    }
}

/// One person in one group; the owner is repeated so a membership is never read without its user.
final class PersonGroupMember: Model, @unchecked Sendable {
    static let schema = "person_group_members"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "group_id") var group: PersonGroup
    @Parent(key: "person_id") var person: Person
    @Field(key: "owner_id") var ownerID: UUID

    init() {}

    init(groupID: UUID, personID: UUID, ownerID: UUID) {
        self.$group.id = groupID
        self.$person.id = personID
        self.ownerID = ownerID
    }
}

struct CreatePersonGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PersonGroup.schema)
            .id()
            .field("created_at", .datetime)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .unique(on: "owner_id", "name", name: "person_groups_owner_name_unique")
            .create()
        try await database.schema(PersonGroupMember.schema)
            .id()
            .field("created_at", .datetime)
            .field("group_id", .uuid, .required, .references(PersonGroup.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .unique(on: "group_id", "person_id", name: "person_group_members_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PersonGroupMember.schema).delete()
        try await database.schema(PersonGroup.schema).delete()
    }
}
