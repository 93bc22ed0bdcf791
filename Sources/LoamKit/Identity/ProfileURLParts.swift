import Foundation

/// An http(s) URL split into the parts profile normalization works on. Parsing is by hand, not with
/// `URLComponents`, because contact data holds URLs without a scheme ("linkedin.com/in/ann") and
/// with raw non-ASCII paths, and the escaping has to be exactly what ``normalized`` compares.
struct ProfileURLParts: Sendable {
    /// Lower-cased, without a trailing dot or the `www.`, `m.` and `mobile.` prefixes.
    var host: String
    /// Kept only when it is not the scheme's default.
    var port: String?
    /// Non-empty segments, percent-escapes normalized (see ``PercentEscapes``).
    var path: [String]
    var query: [(name: String, value: String?)]
    /// Kept for the sites that once put the profile there (`twitter.com/#!/jack`); never in the output.
    var fragment: String?

    init?(_ raw: String) {
        var text = Substring(raw.trimmedWhitespace)
        guard !text.isEmpty, !text.unicodeScalars.contains(where: Self.isForbidden) else { return nil }
        var defaultPort = "443"
        let hasScheme = text.contains("://")
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "https" || scheme == "http" else { return nil }
            defaultPort = scheme == "http" ? "80" : "443"
            text = text[schemeEnd.upperBound...]
        } else if text.hasPrefix("//") {
            text = text.dropFirst(2)
        }
        if let hash = text.firstIndex(of: "#") {
            fragment = String(text[text.index(after: hash)...])
            text = text[..<hash]
        }
        var query: [(name: String, value: String?)] = []
        if let mark = text.firstIndex(of: "?") {
            query = text[text.index(after: mark)...].split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : nil)
            }
            text = text[..<mark]
        }
        let authority = text.prefix { $0 != "/" }
        var segments: [String] = []
        for segment in text.dropFirst(authority.count).split(separator: "/") {
            guard let normalized = PercentEscapes.normalize(segment) else { return nil }
            segments.append(normalized)
        }
        // user:password@ never identifies a profile, and must not end up stored. Without a scheme an "@"
        // means something else altogether ("mailto:ann@example.com", an email address).
        guard hasScheme || !authority.contains("@") else { return nil }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let pieces = hostAndPort.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count <= 2, var host = pieces.first.map({ $0.lowercased() }) else { return nil }
        if pieces.count == 2 {
            guard !pieces[1].isEmpty, pieces[1].allSatisfy(\.isASCIIDigit) else { return nil }
            port = pieces[1] == defaultPort ? nil : String(pieces[1])
        }
        if host.hasSuffix(".") { host.removeLast() }
        while let prefix = ["www.", "m.", "mobile."].first(where: host.hasPrefix),
            host.dropFirst(prefix.count).contains(".")
        {
            host.removeFirst(prefix.count)
        }
        guard Self.isHostName(host) else { return nil }
        self.host = host
        self.path = segments
        self.query = query
    }

    /// `host[:port]/path[?query]`, with no trailing slash.
    var normalized: String {
        var out = host
        if let port { out += ":" + port }
        if !path.isEmpty { out += "/" + path.joined(separator: "/") }
        if !query.isEmpty {
            let pairs = query.map { pair in pair.value.map { "\(pair.name)=\($0)" } ?? pair.name }
            out += "?" + pairs.joined(separator: "&")
        }
        // ASCII is already in NFC, and most profile links are ASCII.
        return out.utf8.allSatisfy { $0 < 0x80 } ? out : out.precomposedStringWithCanonicalMapping
    }

    /// Parameters that say where a click came from, not what it points to.
    static func isTrackingParameter(_ name: String) -> Bool {
        let name = name.lowercased()
        return name.hasPrefix("utm_") || trackingParameters.contains(name)
    }

    private static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "si", "ref", "ref_src", "ref_url", "trk",
        "trackingid", "lipi", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    ]

    /// Two or more dot-separated labels of letters (any script), digits and inner hyphens, the last not
    /// all digits: a name, not an IP address or "localhost", which are never someone's profile.
    private static func isHostName(_ host: String) -> Bool {
        EmailSyntax.isDomain(Substring(host))
    }

    /// Spaces, controls and the characters no URL holds unescaped.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "<", ">", "\"", "\\", "^", "`", "{", "|", "}", " ", "\u{7F}": return true
        // ASCII's other White_Space characters (tab to carriage return) are controls: the Unicode tables are
        // only asked about the rest.
        case "\u{0}"..."\u{1F}": return true
        case "\u{20}"..."\u{7E}": return false
        default: return scalar.properties.isWhitespace
        }
    }
}
