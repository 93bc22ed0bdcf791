/// Scrubs what must never reach a log line: email addresses, credentials and token-like strings.
///
/// Loam's own code logs ids, counts and durations only; this is the safety net under it, for
/// messages and metadata that come from libraries (a request dump at trace level, an error's
/// description that quotes its input).
public enum LogRedactor {
    public static let emailPlaceholder = "[email]"
    public static let secretPlaceholder = "[redacted]"
    public static let tokenPlaceholder = "[token]"

    // Regexes are immutable once built; Regex is not declared Sendable, so the compiler cannot see that.
    nonisolated(unsafe) private static let credentialPair = try! Regex(
        #"(?i)((?:"|')?(?:password|passwd|new_password|current_password|secret|client_secret|token|access_token|refresh_token|id_token|api_key|apikey|code_verifier|authorization|proxy-authorization|cookie|set-cookie|x-api-key)(?:"|')?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}\]]+)"#
    )
    nonisolated(unsafe) private static let authScheme = try! Regex(#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"#)
    nonisolated(unsafe) private static let email = try! Regex(
        #"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#)
    nonisolated(unsafe) private static let passwordHash = try! Regex(#"\$pbkdf2[^\s"',]*"#)
    /// 40 or more base64url or hex characters in a row: random tokens, keys, hashes. Runs made of
    /// UUIDs and short words (request ids, `<time>-<uuid>.eml` file names) stay readable.
    nonisolated(unsafe) private static let tokenLike = try! Regex(#"[A-Za-z0-9_-]{40,}"#)
    /// Padded standard base64 of 30 bytes or more (keys, PHC parts).
    nonisolated(unsafe) private static let paddedBase64 = try! Regex(#"[A-Za-z0-9+/]{40,}={1,2}"#)
    nonisolated(unsafe) private static let uuid = try! Regex(
        #"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"#)

    /// The text with every email address, credential and token-like run replaced by a placeholder.
    public static func redact(_ text: String) -> String {
        // A quick pass over bytes: most lines hold none of the trigger characters and skip the regexes.
        if !mayNeedRedaction(text) { return text }
        var result = text.replacing(passwordHash, with: secretPlaceholder)
        // Schemes first: `authorization: Basic …` must lose the credential, not just the word "Basic".
        result = result.replacing(authScheme) { match in
            let scheme = match.output[1].substring.map(String.init) ?? ""
            return scheme + " " + secretPlaceholder
        }
        result = result.replacing(credentialPair) { match in
            let prefix = match.output[1].substring.map(String.init) ?? ""
            return prefix + secretPlaceholder
        }
        result = result.replacing(email, with: emailPlaceholder)
        result = result.replacing(paddedBase64, with: tokenPlaceholder)
        result = result.replacing(tokenLike) { (match: Regex<AnyRegexOutput>.Match) -> String in
            let run = String(match.output[0].substring ?? "")
            return run.replacing(uuid, with: "-").count >= 40 ? tokenPlaceholder : run
        }
        return result
    }

    private static func mayNeedRedaction(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "@"), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "$"):
                return true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"),
                UInt8(ascii: "/"):
                run += 1
                if run >= 40 { return true }
            case UInt8(ascii: " "):
                // "Bearer abc…" has no trigger character of its own.
                run = 0
            default:
                run = 0
            }
        }
        // Authorization schemes without ':' or '=' are rare in free text; check them explicitly.
        return text.localizedCaseInsensitiveContainsBearer
    }
}

extension String {
    fileprivate var localizedCaseInsensitiveContainsBearer: Bool {
        let lower = self.lowercased()
        return lower.contains("bearer ") || lower.contains("basic ")
    }
}
