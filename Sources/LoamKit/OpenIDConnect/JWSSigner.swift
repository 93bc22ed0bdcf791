import Crypto
import CryptoExtras
import Foundation

/// A key that signs compact JWS tokens.
///
/// Production uses ES256 (Sign in with Apple's client secret); RS256 exists so tests, here
/// and in the server's suite, can mint ID tokens the way Google and Apple do with keys they make.
public enum JWSSigningKey: Sendable {
    case es256(P256.Signing.PrivateKey)
    case rs256(_RSA.Signing.PrivateKey)

    var algorithm: JWSAlgorithm {
        switch self {
        case .es256: .es256
        case .rs256: .rs256
        }
    }

    /// The JWS signature of `input`: r||s for ES256 (RFC 7518 §3.4), PKCS#1 v1.5 for RS256.
    func signature(for input: Data) throws -> Data {
        switch self {
        case .es256(let key): try key.signature(for: SHA256.hash(data: input)).rawRepresentation
        case .rs256(let key):
            try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }
}

/// Signs compact JWS tokens (RFC 7515 §7.1).
public enum JWSSigner {
    /// A token whose payload is `claims` (a JSON object's bytes, used as given).
    ///
    /// The header's `alg` always comes from the key and its `kid` from `keyID`: `extraHeader`
    /// (e.g. `["typ": "JWT"]`) cannot override either, so this type never produces a token whose
    /// header lies about its signature. Tests that need such a token build it by hand.
    public static func sign(
        claims: Data, key: JWSSigningKey, keyID: String?, extraHeader: [String: String] = [:]
    ) throws -> String {
        var header = extraHeader
        header["alg"] = key.algorithm.rawValue
        header["kid"] = keyID
        let headerBytes = try JSONSerialization.data(
            withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        return try CompactJWS.serialize(header: headerBytes, payload: claims, sign: key.signature(for:))
    }
}
