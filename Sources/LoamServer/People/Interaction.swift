import Fluent
import Foundation

/// What kind of contact an interaction records. Messages are counts per day, never their text.
enum InteractionKind: String, Codable, CaseIterable, Sendable {
    case mail
    case meeting
    case message
    case social
}

/// One contact with a person: a mail (headers only), a meeting, a day's message count, or a social
/// connection. Subject, title, description and attendee list are sealed under the owner's data key,
/// bound to this row; `dedupKey` (a Message-ID, an event UID with its recurrence id, or a stable hash)
/// makes a re-import add nothing twice.
final class Interaction: Model, @unchecked Sendable {
    static let schema = "interactions"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "person_id") var person: Person
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "occurred_at") var occurredAt: Date
    /// Where it came from: `user`, `api`, or an import's source.
    @Field(key: "source") var source: String
    @Field(key: "dedup_key") var dedupKey: String
    /// Messages that day for `message`; 1 otherwise.
    @Field(key: "count") var count: Int
    @OptionalField(key: "sealed_subject") var sealedSubject: Data?
    @OptionalField(key: "sealed_description") var sealedDescription: Data?
    @OptionalField(key: "sealed_attendees") var sealedAttendees: Data?
    /// `InteractionRoles` as JSON, sealed like the subject; nil on rows from before roles were kept.
    @OptionalField(key: "sealed_roles") var sealedRoles: Data?
    /// The blind-index tokens of the subject (`SearchEntry.joined`), kept in the row rather than in `search_entries`:
    /// an import writes one row per person on a mail instead of two, and the tokens follow the row when people
    /// merge or are deleted. Nil when the subject has no searchable word.
    @OptionalField(key: "search_tokens") var searchTokens: String?

    init() {}

    init(
        id: UUID, personID: UUID, ownerID: UUID, kind: InteractionKind, occurredAt: Date, source: String,
        dedupKey: String,
        count: Int
    ) {
        self.id = id
        self.$person.id = personID
        self.ownerID = ownerID
        self.kind = kind.rawValue
        self.occurredAt = occurredAt
        self.source = source
        self.dedupKey = dedupKey
        self.count = count
    }
}

struct CreateInteractions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Interaction.schema)
            .id()
            .field("created_at", .datetime)
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("source", .string, .required)
            .field("dedup_key", .string, .required)
            .field("count", .int, .required)
            .field("sealed_subject", .data)
            .field("sealed_description", .data)
            .field("sealed_attendees", .data)
            .unique(on: "person_id", "dedup_key", name: "interactions_person_key_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Interaction.schema).delete()
    }
}
