import Crypto
import CryptoExtras
import Foundation
import LoamKit

/// A provider of our own for the OpenID Connect tests: its keys, a default claim set and ways to
/// mint tokens, both through `JWSSigner` and by hand (for tokens `JWSSigner` refuses to make).
enum OIDCFixtures {
    static let issuer = "https://accounts.example.com"
    static let clientID = "loam-web"
    static let nonce = "n-0S6_WzA2Mj"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let rsaKeyID = "rsa-1"
    static let ecKeyID = "ec-1"

    // Made once: RSA key generation is slow in a debug build.
    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSAKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ecKey = P256.Signing.PrivateKey()

    static let verifier = IDTokenVerifier(issuer: issuer, clientID: clientID)

    /// A valid claim set as of ``now``; `changes` replace claims, and a nil value removes one.
    static func claims(_ changes: [String: Any?] = [:]) -> Data {
        let seconds = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": issuer, "sub": "user-1234", "aud": clientID, "iat": seconds - 10, "exp": seconds + 600,
            "nonce": nonce, "email": "ada@example.com", "email_verified": true, "name": "Ada Lovelace",
            "given_name": "Ada", "family_name": "Lovelace",
        ]
        for (name, value) in changes { claims[name] = value }
        return try! JSONSerialization.data(withJSONObject: claims, options: .sortedKeys)
    }

    /// A key set holding `entries`; by default the RSA and the EC key under their usual ids.
    static func keySet(_ entries: [(JWSSigningKey, String)]? = nil) throws -> JSONWebKeySet {
        let entries = entries ?? [(.rs256(rsaKey), rsaKeyID), (.es256(ecKey), ecKeyID)]
        let jwks = try entries.map { key, kid in try JSONWebKeyExport.jwk(for: key, keyID: kid) }
        return try JSONWebKeySet(json: JSONWebKeyExport.keySet(jwks))
    }

    static func token(
        signedBy key: JWSSigningKey = .rs256(rsaKey), keyID: String? = rsaKeyID, claims: Data = claims()
    ) throws -> String {
        try JWSSigner.sign(claims: claims, key: key, keyID: keyID, extraHeader: ["typ": "JWT"])
    }

    /// Verifies with the default verifier, clock and (unless given) key set.
    @discardableResult
    static func verify(_ token: String, keys: JSONWebKeySet? = nil, nonce: String = nonce, now: Date = now) throws
        -> IDTokenClaims
    {
        try verifier.verify(token, keys: keys ?? keySet(), nonce: nonce, now: now)
    }

    /// A token with any header at all, signed by `sign` over its signing input.
    static func handBuilt(header: [String: Any], claims: Data = claims(), sign: (Data) throws -> Data) rethrows
        -> String
    {
        let headerBytes = try! JSONSerialization.data(withJSONObject: header, options: .sortedKeys)
        let input = "\(base64URL(headerBytes)).\(base64URL(claims))"
        return "\(input).\(base64URL(try sign(Data(input.utf8))))"
    }

    /// The token's three parts, decoded.
    static func parts(of token: String) throws -> (header: Data, payload: Data, signature: Data) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = fromBase64URL(parts[0]), let payload = fromBase64URL(parts[1]),
            let signature = fromBase64URL(parts[2])
        else { throw FixtureError.notACompactJWS }
        return (header, payload, signature)
    }

    /// `token` with its signature part replaced by `signature`.
    static func replacingSignature(of token: String, with signature: some DataProtocol) -> String {
        let prefix = token.split(separator: ".", omittingEmptySubsequences: false).prefix(2).joined(separator: ".")
        return "\(prefix).\(base64URL(Data(signature)))"
    }

    static func jsonObject(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.notAnObject
        }
        return object
    }

    // Written here rather than borrowed from LoamKit so the tests do not trust the code they test.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: some StringProtocol) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }

    enum FixtureError: Error {
        case notACompactJWS
        case notAnObject
    }
}
