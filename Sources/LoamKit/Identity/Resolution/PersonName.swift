/// A person's name as a key for finding likely duplicates: case and accents folded, punctuation gone,
/// honorifics and generational suffixes dropped, "Last, First" put back in reading order.
///
/// `PersonName("Dr. José Núñez, Jr.")` and `PersonName("jose nunez")` have the same ``key``,
/// `"jose nunez"`. Names are only ever a weak signal: the resolver uses them to suggest duplicates for
/// review, never to merge.
public struct PersonName: Sendable, Hashable {
    /// The normalized name tokens joined by one space, e.g. `"robert smith"`; empty when nothing is left.
    public let key: String
    /// The first token (the given name in reading order), `nil` for an empty name.
    public let first: String?
    /// The last token, `nil` when the name has fewer than two tokens.
    public let last: String?

    /// `false` for an empty or one-character name ("", "J", "?"), which says too little to compare on.
    public var isUsable: Bool { key.count > 1 }

    public init(_ raw: String) {
        var tokens: [String]
        if let comma = raw.firstIndex(of: ",") {
            let before = Self.significant(NameTokens.tokens(raw[..<comma]))
            let after = Self.significant(NameTokens.tokens(raw[raw.index(after: comma)...]))
            // "Smith, Robert" is "Last, First"; "Robert Smith, PhD" only had a suffix after the comma,
            // which `significant` already dropped, leaving nothing to move.
            tokens = before.isEmpty || after.isEmpty ? before + after : after + before
        } else {
            tokens = Self.significant(NameTokens.tokens(raw[...]))
        }
        key = tokens.joined(separator: " ")
        first = tokens.first
        last = tokens.count >= 2 ? tokens.last : nil
    }

    private static func significant(_ tokens: [String]) -> [String] {
        tokens.filter { !ignoredTokens.contains($0) }
    }

    /// Titles and suffixes that one source writes and another leaves out ("Dr. Ann Lee" in a signature,
    /// "Ann Lee" in a phone). Compared after folding, so "Ph.D." is "phd" and "Mrs." is "mrs".
    private static let ignoredTokens: Set<String> = [
        "dr", "mr", "mrs", "ms", "mx", "prof", "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq",
    ]
}
