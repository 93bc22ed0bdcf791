import Foundation

/// Turns text into search terms. The same normalizer runs when indexing and when querying,
/// so "José", "JOSE" and "jose" meet.
///
/// Rules (changing any of them changes every blind-index token, so bump the label in
/// ``BlindIndex`` and re-index when you do):
/// - compatibility decomposition (NFKD), so "ﬁ" is "fi" and full-width "Ａ" is "a";
/// - Latin, Greek and Cyrillic accents removed (combining marks U+0300–U+036F only, so other
///   scripts keep the marks that carry meaning), plus a few letters with no decomposition
///   ("ß" → "ss", "æ" → "ae", "ø" → "o", "ł" → "l", …);
/// - Unicode lowercasing;
/// - words are runs of letters and digits; apostrophes inside a word are dropped
///   ("O'Brien" → "obrien"), any other character separates words ("Jean-Luc" → "jean", "luc");
/// - an email address is one term, and when indexing its words are terms too, so "ann"
///   and "example" both find "ann.lee@example.com" while the whole address finds it exactly.
///
/// Scripts written without spaces (Chinese, Japanese, Thai) come out as whole runs: searching
/// part of such a run does not match.
public struct SearchNormalizer: Sendable {
    public init() {}

    /// Every term to index for `text`, without duplicates, in order of appearance.
    public func indexTerms(_ text: String) -> [String] {
        terms(text, includeEmailParts: true)
    }

    /// The terms a search for `query` must all match. Always a subset of ``indexTerms(_:)``
    /// of the same text.
    public func queryTerms(_ query: String) -> [String] {
        terms(query, includeEmailParts: false)
    }

    /// Folds case, compatibility forms and accents, leaving separators in place.
    public func fold(_ text: String) -> String {
        // ASCII has no accents and no compatibility forms, so folding it is lowercasing it; most subjects and
        // names are ASCII, and the Unicode path below (three Foundation passes) was most of an import's hashing.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return foldUnicode(text)
    }

    /// `fold` by its definition, for any text.
    func foldUnicode(_ text: String) -> String {
        // Lowercase first so "İ" becomes "i" plus a dot that is then removed as an accent, and
        // again after decomposing because compatibility forms can decompose to capitals ("ℌ" → "H").
        var scalars = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
            if (0x0300...0x036F).contains(scalar.value) { continue }
            if let replacement = Self.undecomposable[scalar] {
                scalars.append(contentsOf: replacement.unicodeScalars)
            } else {
                scalars.append(scalar)
            }
        }
        // Recompose what is left: other scripts' marks stay attached to their letters.
        return String(scalars).lowercased().precomposedStringWithCanonicalMapping
    }

    // Lowercase letters that NFKD leaves alone but a reader treats as base letters; final
    // sigma is folded so "ΟΔΟΣ" typed in capitals finds "οδος".
    private static let undecomposable: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ς": "σ",
    ]

    private func terms(_ text: String, includeEmailParts: Bool) -> [String] {
        let folded = fold(text)
        if folded.utf8.allSatisfy({ $0 < 0x80 }) {
            return Self.asciiTerms(folded, includeEmailParts: includeEmailParts)
        }
        return Self.unicodeTerms(folded, includeEmailParts: includeEmailParts)
    }

    /// `terms` of folded text by the rules as written, on Characters.
    static func unicodeTerms(_ folded: String, includeEmailParts: Bool) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        func emit(_ term: String) {
            if !term.isEmpty, seen.insert(term).inserted { out.append(term) }
        }
        for chunk in folded.split(whereSeparator: Self.isChunkSeparator) {
            let trimmed = chunk.drop { !Self.isWordCharacter($0) }.reversed().drop { !Self.isWordCharacter($0) }
            let candidate = String(trimmed.reversed())
            if Self.isEmail(candidate) {
                emit(candidate)
                if !includeEmailParts { continue }
            }
            for word in Self.words(in: candidate) { emit(word) }
        }
        return out
    }

    /// `unicodeTerms` of folded ASCII text, on bytes: for ASCII, white space is tab to carriage return and space,
    /// letters and digits are `a-z0-9` (folded text has no capitals), and the only apostrophe is `'`. Most subjects
    /// are ASCII, and walking their Characters was most of the time spent hashing search terms.
    static func asciiTerms(_ folded: String, includeEmailParts: Bool) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        func emit(_ term: String) {
            if !term.isEmpty, seen.insert(term).inserted { out.append(term) }
        }
        let bytes = Array(folded.utf8)
        var start = 0
        while start < bytes.count {
            while start < bytes.count, isASCIIChunkSeparator(bytes[start]) { start += 1 }
            var end = start
            while end < bytes.count, !isASCIIChunkSeparator(bytes[end]) { end += 1 }
            var low = start
            var high = end
            while low < high, !isASCIIWordByte(bytes[low]) { low += 1 }
            while high > low, !isASCIIWordByte(bytes[high - 1]) { high -= 1 }
            start = end
            guard low < high else { continue }
            let candidate = bytes[low..<high]
            if isASCIIEmail(candidate) {
                emit(String(decoding: candidate, as: UTF8.self))
                if !includeEmailParts { continue }
            }
            var word: [UInt8] = []
            for byte in candidate {
                if isASCIIWordByte(byte) {
                    word.append(byte)
                } else if byte == UInt8(ascii: "'"), !word.isEmpty {
                    continue
                } else if !word.isEmpty {
                    emit(String(decoding: word, as: UTF8.self))
                    word.removeAll(keepingCapacity: true)
                }
            }
            if !word.isEmpty { emit(String(decoding: word, as: UTF8.self)) }
        }
        return out
    }

    private static func isASCIIChunkSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x20, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "<"),
            UInt8(ascii: ">"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
            UInt8(ascii: "}"),
            UInt8(ascii: "\""), UInt8(ascii: "|"), UInt8(ascii: "/"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    private static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// `isEmail` on ASCII bytes.
    private static func isASCIIEmail(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > bytes.startIndex,
            !bytes[(at + 1)...].contains(UInt8(ascii: "@"))
        else { return false }
        guard bytes[..<at].allSatisfy({ isASCIIWordByte($0) || "._%+-".utf8.contains($0) }) else { return false }
        let labels = bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.allSatisfy { isASCIIWordByte($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isChunkSeparator(_ character: Character) -> Bool {
        character.isWhitespace || ",;:<>()[]{}\"|/\\".contains(character)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }

    private static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if isWordCharacter(character) {
                current.append(character)
            } else if isApostrophe(character), !current.isEmpty {
                continue
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A pragmatic address check (not RFC 5322): one "@", a local part of letters, digits and
    /// `._%+-`, a domain of at least two dot-separated labels of letters, digits and `-`.
    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty else { return false }
        guard local.allSatisfy({ isWordCharacter($0) || "._%+-".contains($0) }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.allSatisfy { isWordCharacter($0) || $0 == "-" }
        }
    }
}
