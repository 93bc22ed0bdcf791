import Fluent
import Foundation
import LoamKit

/// One human in a user's network. A person belongs to the user who added them (their personal
/// space); every query for people goes through `PeopleScope`, which cannot be built without that user.
final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "owner_id") var owner: User
    @Field(key: "name") var name: String
    /// The name case- and accent-folded, so the list sorts "ann" beside "Ann" on both databases.
    @Field(key: "sort_name") var sortName: String
    @OptionalField(key: "company") var company: String?
    @OptionalField(key: "title") var title: String?
    @Field(key: "is_favourite") var isFavourite: Bool
    @OptionalField(key: "archived_at") var archivedAt: Date?
    /// Provenance of the name, company and title: `user` (typed by the user, which no import overwrites),
    /// `api`, or an import's source; with when each was last set.
    @Field(key: "name_source") var nameSource: String
    @OptionalField(key: "company_source") var companySource: String?
    @OptionalField(key: "title_source") var titleSource: String?
    @Field(key: "facts_updated_at") var factsUpdatedAt: Date
    /// Set when this person was merged into another; hidden everywhere until the merge is undone.
    @OptionalField(key: "merged_into_id") var mergedIntoID: UUID?
    /// Kept with every interaction added or moved, so lists sort by them without scanning interactions.
    @OptionalField(key: "first_contact_at") var firstContactAt: Date?
    @OptionalField(key: "last_contact_at") var lastContactAt: Date?
    @Field(key: "interaction_count") var interactionCount: Int
    @Children(for: \.$person) var identities: [PersonIdentity]

    init() {}

    init(ownerID: UUID, name: String, company: String?, title: String?, source: String, at now: Date) {
        self.$owner.id = ownerID
        self.name = name
        self.sortName = Person.sortKey(name)
        self.company = company
        self.title = title
        self.isFavourite = false
        self.nameSource = source
        self.companySource = company == nil ? nil : source
        self.titleSource = title == nil ? nil : source
        self.factsUpdatedAt = now
        self.interactionCount = 0
    }
}

extension Person {
    static func sortKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// Sets the name with its sort key and provenance.
    func rename(_ name: String, source: String, at now: Date) {
        self.name = name
        self.sortName = Person.sortKey(name)
        self.nameSource = source
        self.factsUpdatedAt = now
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
    /// The keyed blind index of the identifier (`IdentityRecord.index`), compared for equality only. Rows written
    /// before identifiers were sealed hold the identifier itself until `SealPeopleRecordsJob` reaches them.
    @Field(key: "value") var value: String
    /// The identifier, sealed under the owner's data key, bound to this table, column, row and owner; nil on a row
    /// the sealing job has not reached yet.
    @OptionalField(key: "sealed_value") var sealedValue: Data?
    /// For an address, the keyed blind index of its domain ("who do I know at acme.com").
    @OptionalField(key: "domain_index") var domainIndex: String?
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
            .field("sort_name", .string, .required)
            .field("company", .string)
            .field("title", .string)
            .field("is_favourite", .bool, .required)
            .field("archived_at", .datetime)
            .field("name_source", .string, .required)
            .field("company_source", .string)
            .field("title_source", .string)
            .field("facts_updated_at", .datetime, .required)
            .field("merged_into_id", .uuid)
            .field("first_contact_at", .datetime)
            .field("last_contact_at", .datetime)
            .field("interaction_count", .int, .required)
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
