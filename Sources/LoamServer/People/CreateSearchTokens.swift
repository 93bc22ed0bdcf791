import Fluent
import Foundation
import SQLKit

/// The first search index: one row per token. Kept as it landed, since migrations are never edited;
/// `MoveSearchTokensToEntries` folds its rows into `search_entries` and drops it.
struct CreateSearchTokens: AsyncMigration {
    static let schema = "search_tokens"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .id()
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("record_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("token", .string, .required)
            .create()
        try await (database as? any SQLDatabase)?.create(index: "search_tokens_lookup").on(Self.schema)
            .column("owner_id").column("token").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
