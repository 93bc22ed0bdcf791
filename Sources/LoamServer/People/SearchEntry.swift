import Fluent
import Foundation
import LoamKit
import SQLKit

/// The blind-index tokens of one sealed, searchable field of one record (a note's body): the HMAC of each
/// normalized word under the owner's search key, in one row, as the 32-hex-digit tokens separated by single
/// spaces. Search matches tokens, never decrypted text. Interactions keep the same string in their own row
/// (`Interaction.searchTokens`), since an import writes them by the hundred thousand.
///
/// One row per record rather than one per word: a dozen rows per mail, scattered over an index keyed by the
/// random token, were most of an mbox import's time and most of its database. A search reads the owner's rows of
/// one field and keeps those holding every query token (``SearchEntry/matches(of:field:ownerID:blindIndex:on:)``);
/// the space-separated hex also suits a full-text index (FTS5, tsvector) should a scan ever be too slow.
final class SearchEntry: Model, @unchecked Sendable {
    static let schema = "search_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_id") var ownerID: UUID
    /// The qualified column, e.g. `person_notes.body`: the same word gives other tokens in other columns.
    @Field(key: "field") var field: String
    @Field(key: "record_id") var recordID: UUID
    /// The person the record is about, so a match leads to someone without opening the record.
    @Field(key: "person_id") var personID: UUID
    /// The tokens, each once, separated by single spaces.
    @Field(key: "tokens") var tokens: String

    init() {}

    init(ownerID: UUID, field: String, recordID: UUID, personID: UUID, tokens: String) {
        self.ownerID = ownerID
        self.field = field
        self.recordID = recordID
        self.personID = personID
        self.tokens = tokens
    }

    /// The tokens as they are stored in one row.
    static func joined(_ tokens: [String]) -> String {
        tokens.joined(separator: " ")
    }

    /// The tokens of one stored row.
    var tokenList: [String] {
        tokens.split(separator: " ").map(String.init)
    }
}

extension SearchEntry {
    /// Stores the tokens of `text` for `field` of `recordID`, inside the caller's transaction; a text with no
    /// searchable word stores nothing.
    static func index(
        _ text: String, field: String, recordID: UUID, personID: UUID, ownerID: UUID, blindIndex: BlindIndex,
        on database: any Database
    ) async throws {
        let tokens = blindIndex.tokens(for: text, column: field)
        guard !tokens.isEmpty else { return }
        try await SearchEntry(
            ownerID: ownerID, field: field, recordID: recordID, personID: personID, tokens: joined(tokens)
        )
        .create(on: database)
    }
}
