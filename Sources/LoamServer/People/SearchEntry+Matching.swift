import Fluent
import Foundation
import LoamKit

extension SearchEntry {
    /// A record a search found, and the person it is about.
    struct Match: Hashable, Sendable {
        let recordID: UUID
        let personID: UUID
    }

    /// The owner's records of `field` whose text holds every searchable word of `query`, folded as the index folds
    /// (case, accents, compatibility forms); a query with no searchable word finds nothing.
    ///
    /// Notes are found in `search_entries`, mail subjects and meeting titles in their interaction's own row. Each
    /// query token is matched with LIKE against the row's space-separated tokens. That is exact, not a
    /// prefix or substring test on words: every token is 32 hex digits and spaces are not hex, so a 32-digit
    /// pattern can only ever line up with one whole token.
    static func matches(
        of query: String, field: String, ownerID: UUID, blindIndex: BlindIndex, on database: any Database
    ) async throws -> [Match] {
        let tokens = Set(blindIndex.queryTokens(for: query, column: field))
        guard !tokens.isEmpty else { return [] }
        if field == InteractionRecord.subjectSearchField {
            // Subjects keep their tokens in their own row (`Interaction.searchTokens`).
            var search = Interaction.query(on: database).filter(\.$ownerID == ownerID)
            for token in tokens { search = search.filter(\.$searchTokens, .contains(inverse: false, .anywhere), token) }
            return try await search.field(\.$id).field(\.$person.$id).all().map {
                Match(recordID: try $0.requireID(), personID: $0.$person.id)
            }
        }
        var search = SearchEntry.query(on: database).filter(\.$ownerID == ownerID).filter(\.$field == field)
        for token in tokens { search = search.filter(\.$tokens ~~ token) }
        return try await search.field(\.$recordID).field(\.$personID).all().map {
            Match(recordID: $0.recordID, personID: $0.personID)
        }
    }
}
