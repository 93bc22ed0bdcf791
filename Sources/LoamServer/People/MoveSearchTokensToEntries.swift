import Fluent
import Foundation
import SQLKit

/// Creates `search_entries` (one row of tokens per record and field) and folds the rows of the first index,
/// `search_tokens` (one row per token), into it, then drops that table. The copy runs in SQL, so a large index
/// is moved without passing through memory; each entry keeps the smallest identifier of its old rows, which is
/// unique because every old row had its own.
struct MoveSearchTokensToEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SearchEntry.schema)
            .id()
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("record_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("tokens", .string, .required)
            .create()
        let sql = try database.sql()
        // A search reads one owner's rows and a record's change finds its row: both by this index, whose keys an
        // import appends (its records' identifiers are time-ordered).
        try await sql.create(index: "search_entries_owner_record").on(SearchEntry.schema).column("owner_id").column(
            "record_id"
        ).run()
        let old = SQLIdentifier(CreateSearchTokens.schema)
        let new = SQLIdentifier(SearchEntry.schema)
        if sql.dialect.name == "postgresql" {
            // PostgreSQL has no min() of uuid; the first of each group's identifiers is as unique.
            try await sql.raw(
                """
                INSERT INTO \(new) (id, owner_id, field, record_id, person_id, tokens)
                SELECT (array_agg(id ORDER BY id))[1], owner_id, field, record_id, (array_agg(person_id))[1], string_agg(token, ' ' ORDER BY token)
                FROM \(old) GROUP BY owner_id, field, record_id
                """
            ).run()
        } else {
            try await sql.raw(
                """
                INSERT INTO \(new) (id, owner_id, field, record_id, person_id, tokens)
                SELECT min(id), owner_id, field, record_id, min(person_id), group_concat(token, ' ')
                FROM \(old) GROUP BY owner_id, field, record_id
                """
            ).run()
        }
        try await CreateSearchTokens().revert(on: database)
    }

    /// Back to one row per token: each entry's tokens are split in Swift (neither database splits a string into
    /// rows the same way), one owner at a time.
    func revert(on database: any Database) async throws {
        try await CreateSearchTokens().prepare(on: database)
        let sql = try database.sql()
        let owners = try await sql.raw("SELECT DISTINCT owner_id FROM \(ident: SearchEntry.schema)").all()
            .map { try $0.decode(column: "owner_id", as: UUID.self) }
        for ownerID in owners {
            let entries = try await SearchEntry.query(on: database).filter(\.$ownerID == ownerID).all()
            let rows = entries.flatMap { entry in entry.tokenList.map { (entry, $0) } }
            _ = try await sql.insertRows(
                into: CreateSearchTokens.schema,
                columns: ["id", "owner_id", "field", "record_id", "person_id", "token"], rows,
                rowsPerStatement: 200
            ) { row, values in
                values +=
                    [UUID(), ownerID, row.0.field, row.0.recordID, row.0.personID, row.1] as [any Encodable & Sendable]
            }
        }
        try await database.schema(SearchEntry.schema).delete()
    }
}
