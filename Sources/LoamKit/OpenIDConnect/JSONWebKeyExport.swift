import Crypto
import CryptoExtras
import Foundation

/// Public JWKs for keys Loam holds, so tests can serve a key set they control.
public enum JSONWebKeyExport {
    /// The public half of `key` as JWK members: `kty`/`n`/`e` (RSA) or `kty`/`crv`/`x`/`y` (P-256),
    /// plus `kid`, `use` "sig" and `alg`.
    public static func jwk(for key: JWSSigningKey, keyID: String) throws -> [String: String] {
        var members = ["kid": keyID, "use": "sig", "alg": key.algorithm.rawValue]
        switch key {
        case .rs256(let privateKey):
            let primitives = try privateKey.publicKey.getKeyPrimitives()
            members["kty"] = "RSA"
            // JWK integers are unsigned big-endian with no leading zero octets (RFC 7518 §6.3.1.1).
            members["n"] = Base64.url(primitives.modulus.drop { $0 == 0 })
            members["e"] = Base64.url(primitives.publicExponent.drop { $0 == 0 })
        case .es256(let privateKey):
            let point = privateKey.publicKey.rawRepresentation
            members["kty"] = "EC"
            members["crv"] = "P-256"
            members["x"] = Base64.url(point.prefix(32))
            members["y"] = Base64.url(point.suffix(32))
        }
        return members
    }

    /// `{"keys": [...]}` with `keys` in the given order.
    public static func keySet(_ keys: [[String: String]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
