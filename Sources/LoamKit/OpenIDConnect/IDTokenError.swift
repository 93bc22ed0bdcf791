/// Why an ID token (or a JWKS) was refused.
///
/// Descriptions are short codes meant for logs. They never contain the token, its claims or a
/// key; the only header values they carry (`alg`, `kid`) are cut down to a few plain characters
/// first, because they come from whoever sent the token.
public enum IDTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not three base64url parts, JSON that is not an object, a required claim missing or of the
    /// wrong type. The reason is fixed text from the verifier, never token content.
    case malformed(String)
    /// `none`, `HS256`, anything outside ``IDTokenVerifier/allowedAlgorithms``, or an `alg` that
    /// does not fit the key the `kid` names.
    case unsupportedAlgorithm(String)
    /// The token's `kid` is not in the key set; nil when the token has no `kid` and the set does
    /// not hold exactly one key usable for its `alg`. Callers may refetch the provider's keys once.
    case unknownKey(String?)
    case badSignature
    case wrongIssuer
    /// `aud` does not contain the client id, or there are several audiences and `azp` is not the client id.
    case wrongAudience
    case expired
    case issuedInFuture
    /// The token has no `nonce`, or not the one this sign-in sent.
    case nonceMismatch

    public var description: String {
        switch self {
        case .malformed(let reason): "id_token.malformed(\(reason))"
        case .unsupportedAlgorithm(let alg): "id_token.unsupported_algorithm(\(alg))"
        case .unknownKey(let kid): "id_token.unknown_key(\(kid ?? "no kid"))"
        case .badSignature: "id_token.bad_signature"
        case .wrongIssuer: "id_token.wrong_issuer"
        case .wrongAudience: "id_token.wrong_audience"
        case .expired: "id_token.expired"
        case .issuedInFuture: "id_token.issued_in_future"
        case .nonceMismatch: "id_token.nonce_mismatch"
        }
    }

    /// A header value made fit for a log line: at most 64 characters from `[A-Za-z0-9._-]`,
    /// anything else replaced by `?`, so a hostile header cannot forge or flood log lines.
    static func logSafe(_ value: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let kept = value.prefix(64).map { allowed.contains($0) ? $0 : "?" }
        return String(kept) + (value.count > 64 ? "…" : "")
    }
}
