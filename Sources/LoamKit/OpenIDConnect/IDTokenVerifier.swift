import Foundation

/// Verifies an OpenID Connect ID token (OIDC Core 1.0 §3.1.3.7) against a provider's keys.
///
/// One verifier per provider and client. It reads no clock and fetches nothing: the caller
/// passes the time and the provider's current key set, so expiry and key rotation are tested
/// by passing other values.
public struct IDTokenVerifier: Sendable {
    /// Asymmetric algorithms only; see ``JWSAlgorithm`` for why.
    public static let allowedAlgorithms: Set<String> = Set(JWSAlgorithm.allCases.map(\.rawValue))

    public let issuer: String
    public let clientID: String
    public let clockSkew: TimeInterval

    public init(issuer: String, clientID: String, clockSkew: TimeInterval = 60) {
        self.issuer = issuer
        self.clientID = clientID
        self.clockSkew = clockSkew
    }

    /// Checks, in this order: shape; `alg` allowed; the key named by `kid`; the key fits the
    /// `alg`; the signature; `iss`; `aud` and `azp`; `exp`; `iat`; `nonce`; `sub`.
    ///
    /// - Parameter nonce: the nonce this sign-in sent in its authorization request.
    public func verify(_ token: String, keys: JSONWebKeySet, nonce: String, now: Date) throws(IDTokenError)
        -> IDTokenClaims
    {
        let jws = try CompactJWS(parsing: token)
        // RFC 7515 §4.1.11: extensions we do not understand must not be ignored; we understand none.
        guard jws.header["crit"] == nil else { throw .malformed("crit") }
        guard let algName = jws.header["alg"]?.string else { throw .malformed("alg") }
        guard let alg = JWSAlgorithm(rawValue: algName) else {
            throw .unsupportedAlgorithm(IDTokenError.logSafe(algName))
        }

        let key = try Self.key(for: jws.header["kid"], alg: alg, in: keys)
        guard alg.verifies(jws.signature, over: jws.signingInput, with: key.material) else { throw .badSignature }

        let claims = try IDTokenClaims(payload: jws.payload)
        guard claims.issuer == issuer else { throw .wrongIssuer }
        guard claims.audiences.contains(clientID) else { throw .wrongAudience }
        if claims.audiences.count > 1, claims.authorizedParty != clientID { throw .wrongAudience }
        guard claims.expiresAt > now.addingTimeInterval(-clockSkew) else { throw .expired }
        guard claims.issuedAt <= now.addingTimeInterval(clockSkew) else { throw .issuedInFuture }
        guard let tokenNonce = claims.nonce, !nonce.isEmpty,
            ByteEncoding.constantTimeEquals(Array(tokenNonce.utf8), Array(nonce.utf8))
        else { throw .nonceMismatch }
        guard !claims.subject.isEmpty else { throw .malformed("empty sub") }
        return claims
    }

    /// The one key a token may be checked against.
    ///
    /// A `kid` picks its key and only its key: falling back to another key when it is missing
    /// would let a token name any key it likes. Without a `kid`, the set must hold exactly one
    /// key that fits the `alg`, so the choice is never a guess.
    static func key(for kid: JOSEJSON?, alg: JWSAlgorithm, in keys: JSONWebKeySet) throws(IDTokenError)
        -> JSONWebKey
    {
        switch kid {
        case nil, .null?:
            let usable = keys.keys.filter { $0.fits(alg) }
            guard usable.count == 1 else { throw .unknownKey(nil) }
            return usable[0]
        case .string(let kid)?:
            let named = keys.keys.filter { $0.keyID == kid }
            guard !named.isEmpty else { throw .unknownKey(IDTokenError.logSafe(kid)) }
            let usable = named.filter { $0.fits(alg) }
            // The kid exists but its key is of another type or declared for another alg.
            guard let key = usable.first else { throw .unsupportedAlgorithm(alg.rawValue) }
            // Two fitting keys under one kid is a provider's mistake; refuse rather than guess.
            guard usable.count == 1 else { throw .unknownKey(IDTokenError.logSafe(kid)) }
            return key
        case _?:
            throw .malformed("kid")
        }
    }
}
