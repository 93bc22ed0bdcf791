import Fluent
import Foundation

/// One merge of a person into another, kept so it can be undone: which person was absorbed and the ids
/// of every row that moved with it, sealed (the snapshot names the survivor's earlier company and title).
final class PersonMerge: Model, @unchecked Sendable {
    static let schema = "person_merges"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "survivor_id") var survivorID: UUID
    @Field(key: "absorbed_id") var absorbedID: UUID
    /// `user` for a merge from the Duplicates review; an import's source for an automatic one.
    @Field(key: "made_by") var madeBy: String
    /// `MergeSnapshot` as JSON, sealed under the owner's data key bound to this row.
    @Field(key: "sealed_snapshot") var sealedSnapshot: Data
    @OptionalField(key: "undone_at") var undoneAt: Date?

    init() {}

    init(id: UUID, ownerID: UUID, survivorID: UUID, absorbedID: UUID, madeBy: String, sealedSnapshot: Data) {
        self.id = id
        self.ownerID = ownerID
        self.survivorID = survivorID
        self.absorbedID = absorbedID
        self.madeBy = madeBy
        self.sealedSnapshot = sealedSnapshot
    }
}

/// What a merge moved and overwrote, so undo puts exactly that back.
struct MergeSnapshot: Codable {
    var identityIDs: [UUID]
    var noteIDs: [UUID]
    var interactionIDs: [UUID]
    var groupMemberIDs: [UUID]
    /// The survivor's facts before the merge filled them in.
    var survivorCompany: String?
    var survivorCompanySource: String?
    var survivorTitle: String?
    var survivorTitleSource: String?
    var survivorFavourite: Bool
}

/// Two people the user said are not the same human: they never merge and never return for review.
final class DistinctPeople: Model, @unchecked Sendable {
    static let schema = "distinct_people"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "owner_id") var ownerID: UUID
    /// The two ids in ascending order, so a pair has one spelling.
    @Field(key: "first_id") var firstID: UUID
    @Field(key: "second_id") var secondID: UUID

    init() {}

    init(ownerID: UUID, _ a: UUID, _ b: UUID) {
        self.ownerID = ownerID
        let (first, second) = DistinctPeople.ordered(a, b)
        self.firstID = first
        self.secondID = second
    }

    static func ordered(_ a: UUID, _ b: UUID) -> (UUID, UUID) {
        a.uuidString < b.uuidString ? (a, b) : (b, a)
    }
}

struct CreatePersonMerges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PersonMerge.schema)
            .id()
            .field("created_at", .datetime)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("survivor_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("absorbed_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("made_by", .string, .required)
            .field("sealed_snapshot", .data, .required)
            .field("undone_at", .datetime)
            .create()
        try await database.schema(DistinctPeople.schema)
            .id()
            .field("created_at", .datetime)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("first_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("second_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .unique(on: "owner_id", "first_id", "second_id", name: "distinct_people_pair_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DistinctPeople.schema).delete()
        try await database.schema(PersonMerge.schema).delete()
    }
}
