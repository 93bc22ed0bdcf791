import Fluent
import Foundation

/// One human in a user's network. A person belongs to the user who added them (their personal
/// space); every query for people goes through `PeopleScope`, which cannot be built without that user.
final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "owner_id") var owner: User
    @Field(key: "name") var name: String
    @OptionalField(key: "company") var company: String?
    @OptionalField(key: "title") var title: String?
    @Field(key: "is_favourite") var isFavourite: Bool
    @OptionalField(key: "archived_at") var archivedAt: Date?
    @Children(for: \.$person) var identities: [PersonIdentity]

    init() {}

    init(ownerID: UUID, name: String, company: String?, title: String?) {
        self.$owner.id = ownerID
        self.name = name
        self.company = company
        self.title = title
        self.isFavourite = false
    }
}

/// A hard identifier of a person in its normalized form (`LoamKit.IdentityNormalizer`), with where it came
/// from. Unique per owner: one address or number names one person in a user's network.
final class PersonIdentity: Model, @unchecked Sendable {
    static let schema = "person_identities"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "person_id") var person: Person
    /// Repeated from the person so the uniqueness rule and lookups need no join.
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "value") var value: String
    /// The provenance: `user`, `api`, or an import's source.
    @Field(key: "source") var source: String
    @Field(key: "seen_at") var seenAt: Date

    init() {}

    init(personID: UUID, ownerID: UUID, kind: String, value: String, source: String, seenAt: Date) {
        self.$person.id = personID
        self.ownerID = ownerID
        self.kind = kind
        self.value = value
        self.source = source
        self.seenAt = seenAt
    }
}

/// A markdown note on a person, private to its author and sealed at rest with the author's data key.
final class PersonNote: Model, @unchecked Sendable {
    static let schema = "person_notes"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "person_id") var person: Person
    @Field(key: "author_id") var authorID: UUID
    /// AES-256-GCM under the author's data key, bound to this table, column, row and author.
    @Field(key: "sealed_body") var sealedBody: Data

    init() {}

    init(id: UUID, personID: UUID, authorID: UUID, sealedBody: Data) {
        self.id = id
        self.$person.id = personID
        self.authorID = authorID
        self.sealedBody = sealedBody
    }
}

struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("company", .string)
            .field("title", .string)
            .field("is_favourite", .bool, .required)
            .field("archived_at", .datetime)
            .create()
        try await database.schema(PersonIdentity.schema)
            .id()
            .field("created_at", .datetime)
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("source", .string, .required)
            .field("seen_at", .datetime, .required)
            .unique(on: "owner_id", "kind", "value", name: "person_identities_owner_value_unique")
            .create()
        try await database.schema(PersonNote.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("sealed_body", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PersonNote.schema).delete()
        try await database.schema(PersonIdentity.schema).delete()
        try await database.schema(Person.schema).delete()
    }
}
