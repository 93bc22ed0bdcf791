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
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2 else { return false }
        return isLocalPart(parts[0]) && isDomain(parts[1])
    }

    /// Dot-separated atoms: no empty atom (so no leading, trailing or doubled dot), no space, control
    /// character or character that needs quoting.
    static func isLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        let forbidden = Set("<>()[]\\,;:\"@")
        let hasSpaceOrControl = local.unicodeScalars.contains {
            // ASCII's White_Space characters are exactly tab to carriage return and space; asking the
            // Unicode property tables only for the rest is what keeps this check cheap.
            let isWhitespace = $0.isASCII ? $0.value == 0x20 || (0x09...0x0D).contains($0.value) : $0.properties.isWhitespace
            return isWhitespace || $0.value < 0x20 || $0.value == 0x7F
        }
        guard !hasSpaceOrControl, !local.contains(where: forbidden.contains) else { return false }
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty }
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
