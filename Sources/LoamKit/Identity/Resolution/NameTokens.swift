import Foundation

/// The one way names (of people and of companies) are cut into comparable tokens, so the two keys
/// cannot drift apart in how they treat case, accents or punctuation.
enum NameTokens {
    /// Case- and diacritic-folded tokens of `raw`. Apostrophes and dots are deleted ("O'Brien" is
    /// "obrien", "S.A." is "sa", "J.R." is "jr"), because people write the same name with and without
    /// them; every other non-alphanumeric character (spaces, hyphens, commas, slashes, symbols)
    /// separates tokens, so "Jean-Luc" and "Jean Luc" meet.
    static func tokens(_ raw: Substring) -> [String] {
        // Address books are mostly ASCII: a byte loop is several times faster than Foundation's folding,
        // which matters when a whole import (hundreds of thousands of names) is resolved at once.
        if raw.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(raw.utf8) }
        let folded = String(raw).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if isDeleted(scalar) { continue }
            let properties = scalar.properties
            let category = properties.generalCategory
            if properties.isAlphabetic || properties.numericType != nil || category == .nonspacingMark
                || category == .spacingMark
            {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    private static func asciiTokens(_ bytes: Substring.UTF8View) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(16)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte + 0x20)
            case UInt8(ascii: "'"), UInt8(ascii: "."):
                continue
            default:
                if !current.isEmpty {
                    tokens.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    /// Apostrophes in their common spellings (ASCII, typographic, modifier letter) and the full stop.
    private static func isDeleted(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x27, 0x2E, 0x2019, 0x2018, 0x02BC, 0x02B9: true
        default: false
        }
    }
}
