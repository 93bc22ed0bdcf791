import Fluent
import Foundation
import LoamKit
import SQLKit

/// A blind-index token of a sealed, searchable field (a note, a mail subject, a meeting title): HMAC of
/// one normalized word under the owner's search key. Search matches tokens, never decrypted text.
final class SearchToken: Model, @unchecked Sendable {
    static let schema = "search_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_id") var ownerID: UUID
    /// The qualified column, e.g. `person_notes.body`: the same word gives other tokens in other columns.
    @Field(key: "field") var field: String
    @Field(key: "record_id") var recordID: UUID
    /// The person the record is about, so a match leads to someone without opening the record.
    @Field(key: "person_id") var personID: UUID
    @Field(key: "token") var token: String

    init() {}

    init(ownerID: UUID, field: String, recordID: UUID, personID: UUID, token: String) {
        self.ownerID = ownerID
        self.field = field
        self.recordID = recordID
        self.personID = personID
        self.token = token
    }
}

extension SearchToken {
    /// Stores the tokens of `text` for `field` of `recordID`, inside the caller's transaction.
    static func index(
        _ text: String, field: String, recordID: UUID, personID: UUID, ownerID: UUID, blindIndex: BlindIndex,
        on database: any Database
    ) async throws {
        let rows = rows(for: text, field: field, recordID: recordID, personID: personID, ownerID: ownerID, blindIndex: blindIndex)
        if !rows.isEmpty { try await rows.create(on: database) }
    }

    /// The token rows of one field's text, for a caller that inserts many at once.
    static func rows(for text: String, field: String, recordID: UUID, personID: UUID, ownerID: UUID, blindIndex: BlindIndex) -> [SearchToken] {
        rows(tokens: blindIndex.tokens(for: text, column: field), field: field, recordID: recordID, personID: personID, ownerID: ownerID)
    }

    /// The rows of tokens already computed (the same text on many records is hashed once).
    static func rows(tokens: [String], field: String, recordID: UUID, personID: UUID, ownerID: UUID) -> [SearchToken] {
        tokens.map { SearchToken(ownerID: ownerID, field: field, recordID: recordID, personID: personID, token: $0) }
    }
}

struct CreateSearchTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SearchToken.schema)
            .id()
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("record_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("token", .string, .required)
            .create()
        try await (database as? any SQLDatabase)?.create(index: "search_tokens_lookup").on(SearchToken.schema)
            .column("owner_id").column("token").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SearchToken.schema).delete()
    }
}
