import Crypto
import Foundation

/// Blind-index tokens for searching encrypted fields without decrypting them.
///
/// Each token is HMAC-SHA256 under the owner's search key (HKDF of the data key, label
/// "loam/blind-index/v1") over the column and one normalized term, truncated to 16 bytes and
/// written as 32 lowercase hex digits. Hex rather than base64url because full-text tokenizers
/// (FTS5, tsvector) split words on "-" and "_", and a token must stay one word.
///
/// Tokens reveal equality of terms within one owner and column, and nothing across owners or
/// columns. Store them next to the sealed value; search with ``queryTokens(for:column:)`` and
/// require every returned token to be present.
public struct BlindIndex: Sendable {
    /// Bytes of HMAC output kept per token.
    public static let tokenByteCount = 16

    /// HMAC already keyed: each token starts from a copy, so the key's inner and outer blocks are hashed once
    /// rather than once per word (half of the hashing of a short word).
    private let keyed: HMAC<SHA256>
    private let normalizer: SearchNormalizer

    public init(dataKey: DataKey, normalizer: SearchNormalizer = SearchNormalizer()) {
        self.keyed = HMAC<SHA256>(key: dataKey.derivedKey(label: "loam/blind-index/v1"))
        self.normalizer = normalizer
    }

    /// The tokens to store for `text` in `column`, without duplicates.
    ///
    /// - Parameter column: a stable name that qualifies the column, e.g. "people.name"; the
    ///   same term gives different tokens in different columns.
    public func tokens(for text: String, column: String) -> [String] {
        normalizer.indexTerms(text).map { token(forTerm: $0, column: column) }
    }

    /// The tokens a row must all have to match `query` in `column`; empty when the query has
    /// no searchable term.
    public func queryTokens(for query: String, column: String) -> [String] {
        normalizer.queryTerms(query).map { token(forTerm: $0, column: column) }
    }

    /// The token of a whole value compared only for equality (an address, a number, a dedup key), taken as it is:
    /// the caller normalizes it first. The same value in another column or of another owner gives another token.
    public func exactToken(_ value: String, column: String) -> String {
        token(forTerm: value, column: column)
    }

    /// The token of one already-normalized term.
    func token(forTerm term: String, column: String) -> String {
        let message = ByteEncoding.lengthPrefixed(label: "loam/blind-index/v1", [column, term])
        var hmac = keyed
        hmac.update(data: message)
        return Hex.encode(Array(hmac.finalize()).prefix(Self.tokenByteCount))
    }
}
