import Foundation

extension IdentityNormalizer {
    /// An email address in comparable form: trimmed, unwrapped from `Name <…>` or a `mailto:` link,
    /// Unicode NFC and lower-cased as a whole; `nil` when it is not an address.
    ///
    /// The local part is lower-cased too: RFC 5321 lets it be case-sensitive, but no provider people
    /// use treats `Ann@` and `ann@` as two mailboxes, while contact lists spell them both ways. Dots and
    /// `+tags` are kept: folding them is one provider's rule (Gmail's) and elsewhere they name
    /// different mailboxes, so folding them could merge two people.
    public static func email(_ raw: String) -> String? {
        var text = raw.trimmedWhitespace
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            text = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmedWhitespace
        }
        if text.lowercased().hasPrefix("mailto:") {
            // A link may carry ?subject=… and percent-escapes; only the address identifies anyone.
            let target = text.dropFirst("mailto:".count).prefix { $0 != "?" }
            guard let decoded = String(target).removingPercentEncoding else { return nil }
            text = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // ASCII is already in NFC; skipping Foundation's conversion halves the cost of a typical address.
        let composed = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
        let address = composed.lowercased()
        return EmailSyntax.isAddress(address) ? address : nil
    }
}

/// A pragmatic address check, not RFC 5322: what real contact data holds and a mail server accepts,
/// without quoted local parts, comments or IP-literal domains, which no contact export produces.
enum EmailSyntax {
    static func isAddress(_ address: String) -> Bool {
        if address.utf8.allSatisfy({ $0 < 0x80 }) { return isASCIIAddress(Array(address.utf8)) }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2 else { return false }
        return isLocalPart(parts[0]) && isDomain(parts[1])
    }

    /// Dot-separated atoms: no empty atom (so no leading, trailing or doubled dot), no space, control
    /// character or character that needs quoting.
    static func isLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        let hasSpaceOrControl = local.unicodeScalars.contains {
            // ASCII's White_Space characters are exactly tab to carriage return and space; asking the
            // Unicode property tables only for the rest is what keeps this check cheap.
            let isWhitespace =
                $0.isASCII ? $0.value == 0x20 || (0x09...0x0D).contains($0.value) : $0.properties.isWhitespace
            return isWhitespace || $0.value < 0x20 || $0.value == 0x7F
        }
        guard !hasSpaceOrControl, !local.unicodeScalars.contains(where: isQuotedOnly) else { return false }
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
    }

    /// The same rules as ``isLocalPart(_:)`` and ``isDomain(_:)`` in one pass over the bytes, for the
    /// ASCII addresses that nearly all contact data holds: splitting into substrings allocated more than
    /// the rest of normalization together (`loam-bench resolve`). `EmailNormalizerTests` holds both
    /// paths to the same answers.
    static func isASCIIAddress(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64, domain.count <= 253 else { return false }
        var previous = UInt8(ascii: ".")  // so a leading dot counts as an empty atom
        for byte in local {
            switch byte {
            case 0..<0x21, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "@"):
                return false
            case UInt8(ascii: ".") where previous == UInt8(ascii: "."):
                return false
            default:
                previous = byte
            }
        }
        guard previous != UInt8(ascii: ".") else { return false }

        var labels = 0
        var labelStart = domain.startIndex
        var labelAllDigits = true
        for index in domain.startIndex...domain.endIndex {
            guard index < domain.endIndex, domain[index] != UInt8(ascii: ".") else {
                let length = index - labelStart
                guard length > 0, length <= 63, domain[labelStart] != UInt8(ascii: "-"),
                    domain[index - 1] != UInt8(ascii: "-")
                else { return false }
                labels += 1
                if index == domain.endIndex { return labels >= 2 && !labelAllDigits }
                labelStart = index + 1
                labelAllDigits = true
                continue
            }
            let byte = domain[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"):
                labelAllDigits = false
            default: return false
            }
        }
        return false
    }

    /// Characters a local part can only hold inside quotes, which contact data never uses. Compared as
    /// scalars (cheaper than characters), so a combining mark after one cannot hide it either.
    private static func isQuotedOnly(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "<", ">", "(", ")", "[", "]", "\\", ",", ";", ":", "\"", "@": true
        default: false
        }
    }

    /// At least two labels of letters (any script, for internationalized domains), digits and inner
    /// hyphens; the top-level label is not all digits, which rules out bare IPv4 addresses.
    static func isDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard domain.utf8.count <= 253, labels.count >= 2, let top = labels.last,
            !top.allSatisfy(\.isASCIIDigit)
        else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy(isLabelCharacter)
        }
    }
}

extension EmailSyntax {
    /// A letter, digit or hyphen; ASCII answered without the Unicode tables. `asciiValue` is also set for
    /// "\r\n", as "\n", which is refused either way.
    fileprivate static func isLabelCharacter(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return (0x61...0x7A).contains(ascii | 0x20) || (0x30...0x39).contains(ascii) || ascii == 0x2D
        }
        return character.isLetter || character.isNumber
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
