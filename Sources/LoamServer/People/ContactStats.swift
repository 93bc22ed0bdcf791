import Fluent
import FluentSQL
import Foundation
import LoamKit
import SQLKit

/// A person's contact figures (first and last contact, interaction count), kept in step with their interactions
/// by every path that adds or moves them.
enum ContactStats {
    /// Keeps a person's first and last contact and interaction count in step with their interactions.
    static func refresh(of personID: UUID, on tx: any Database) async throws {
        try await refresh(of: [personID], on: tx)
    }

    /// One statement for any number of people (an import batch touches hundreds).
    static func refresh(of people: Set<UUID>, on tx: any Database) async throws {
        let sql = try tx.sql()
        for chunk in Array(people).chunked(by: 500) {
            try await sql.raw(
                """
                UPDATE \(ident: Person.schema) SET
                interaction_count = (SELECT COUNT(*) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id),
                first_contact_at = (SELECT MIN(i.occurred_at) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id),
                last_contact_at = (SELECT MAX(i.occurred_at) FROM \(ident: Interaction.schema) AS i WHERE i.person_id = \(ident: Person.schema).id)
                WHERE id IN (\(binds: Array(chunk)))
                """
            ).run()
        }
    }

    /// What a batch added to one person's interactions, for `add`.
    struct Delta {
        var count = 0
        var first: Date = .distantFuture
        var last: Date = .distantPast

        mutating func add(_ occurredAt: Date) {
            count += 1
            first = min(first, occurredAt)
            last = max(last, occurredAt)
        }
    }

    /// Brings the contact figures of people up to date with interactions just added, without reading the
    /// interactions they had already: `refresh` counts a person's whole history, which an import
    /// would otherwise do again after every batch for everyone on it (a long correspondence, hundreds of times).
    /// The result is the same as a refresh as long as only insertions happened since the figures were right.
    static func add(_ deltas: [UUID: Delta], on tx: any Database) async throws {
        let sql = try tx.sql()
        // The figures travel as a table of values joined to the people (UPDATE … FROM, which SQLite and PostgreSQL
        // both speak): a CASE branch per person made SQLite compare every bound value with every other while
        // preparing the statement, a visible share of an import.
        for chunk in Array(deltas).chunked(by: 200) {
            var rows = SQLQueryString("")
            for (index, (id, delta)) in chunk.enumerated() {
                rows.appendInterpolation(unsafeRaw: index == 0 ? "(" : ", (")
                rows.appendInterpolation(bind: id)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.count)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.first)
                rows.appendInterpolation(unsafeRaw: ", ")
                rows.appendInterpolation(bind: delta.last)
                rows.appendInterpolation(unsafeRaw: ")")
            }
            try await sql.raw(
                """
                WITH delta (person_id, added, earliest, latest) AS (VALUES \(rows))
                UPDATE \(ident: Person.schema) SET
                interaction_count = interaction_count + delta.added,
                first_contact_at = CASE WHEN first_contact_at IS NULL OR first_contact_at > delta.earliest THEN delta.earliest
                    ELSE first_contact_at END,
                last_contact_at = CASE WHEN last_contact_at IS NULL OR last_contact_at < delta.latest THEN delta.latest
                    ELSE last_contact_at END
                FROM delta WHERE \(ident: Person.schema).id = delta.person_id
                """
            ).run()
        }
    }
}
