import Fluent
import Foundation
import SQLKit

/// Moves the search tokens of interaction subjects out of `search_entries` into a column of their own row,
/// `interactions.search_tokens` (see `Interaction.searchTokens`); notes keep theirs in `search_entries`.
struct MoveSubjectTokensToInteractions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Interaction.schema).field("search_tokens", .string).update()
        let sql = try database.sql()
        let field = InteractionRecord.subjectSearchField
        try await sql.raw(
            """
            UPDATE \(ident: Interaction.schema) SET search_tokens = (
                SELECT e.tokens FROM \(ident: SearchEntry.schema) e WHERE e.record_id = \(ident: Interaction.schema).id AND e.field = \(bind: field))
            """
        ).run()
        try await sql.raw("DELETE FROM \(ident: SearchEntry.schema) WHERE field = \(bind: field)").run()
    }

    /// Back into `search_entries`, each entry taking its interaction's identifier (unique there too).
    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.raw(
            """
            INSERT INTO \(ident: SearchEntry.schema) (id, owner_id, field, record_id, person_id, tokens)
            SELECT id, owner_id, \(bind: InteractionRecord.subjectSearchField), id, person_id, search_tokens
            FROM \(ident: Interaction.schema) WHERE search_tokens IS NOT NULL
            """
        ).run()
        try await sql.raw("ALTER TABLE \(ident: Interaction.schema) DROP COLUMN search_tokens").run()
    }
}
