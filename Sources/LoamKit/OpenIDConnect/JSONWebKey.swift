import Crypto
import CryptoExtras
import Foundation

/// One usable verification key from a JWKS (RFC 7517 §4, RFC 7518 §6).
struct JSONWebKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    var keyID: String?
    /// The key's own `alg`, when it names one: the token's `alg` must then be exactly that.
    var algorithm: JWSAlgorithm?
    var material: Material

    /// True when a token signed with `alg` may be checked against this key.
    func fits(_ alg: JWSAlgorithm) -> Bool {
        if let algorithm, algorithm != alg { return false }
        switch (material, alg) {
        case (.rsa, .rs256), (.rsa, .rs384), (.rsa, .rs512), (.rsa, .ps256), (.p256, .es256): return true
        case (.rsa, .es256), (.p256, .rs256), (.p256, .rs384), (.p256, .rs512), (.p256, .ps256): return false
        }
    }

    /// Reads one member of a key set; nil for a key Loam cannot or must not use to verify
    /// signatures, so one odd key (an encryption key, a new curve) never breaks sign-in.
    init?(_ members: [String: JOSEJSON]) {
        if let use = members["use"], use != .string("sig") { return nil }
        if let operations = members["key_ops"] {
            guard case .array(let list) = operations, list.contains(.string("verify")) else { return nil }
        }
        if let kid = members["kid"] {
            guard let kid = kid.string else { return nil }
            keyID = kid
        }
        if let alg = members["alg"] {
            // A key declared for another algorithm (RSA-OAEP, PS384, …) is not one of ours.
            guard let name = alg.string, let algorithm = JWSAlgorithm(rawValue: name) else { return nil }
            self.algorithm = algorithm
        }

        switch members["kty"]?.string {
        case "RSA":
            guard let n = members["n"]?.string.flatMap(Base64.decodeURL),
                let e = members["e"]?.string.flatMap(Base64.decodeURL),
                // swift-crypto refuses moduli under 2048 bits here, which is the floor we want.
                let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { return nil }
            material = .rsa(publicKey)
        case "EC":
            guard members["crv"]?.string == "P-256",
                let x = members["x"]?.string.flatMap(Base64.decodeURL), x.count == 32,
                let y = members["y"]?.string.flatMap(Base64.decodeURL), y.count == 32,
                // Rejects points that are not on the curve.
                let publicKey = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            material = .p256(publicKey)
        default:
            return nil
        }

        if let algorithm, !fits(algorithm) { return nil }
    }
}
