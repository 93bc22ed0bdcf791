import Crypto
import CryptoExtras
import Foundation

/// The JWS algorithms (RFC 7518 §3) Loam accepts on ID tokens.
///
/// Only asymmetric ones: an HMAC `alg` would let anyone holding the provider's *public* key
/// mint tokens (the classic RS256→HS256 confusion), and `none` is no signature at all. PS256 is
/// here because swift-crypto's PSS salt length is the digest length, exactly what RFC 7518
/// §3.5 asks for.
enum JWSAlgorithm: String, CaseIterable, Sendable {
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case es256 = "ES256"

    /// True when `signature` is this algorithm's signature of `input` under `key`. False for a
    /// key of the wrong type too, so a mismatch can never verify.
    func verifies(_ signature: Data, over input: Data, with key: JSONWebKey.Material) -> Bool {
        switch key {
        case .rsa(let publicKey):
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let pkcs1 = _RSA.Signing.Padding.insecurePKCS1v1_5
            return switch self {
            case .rs256: publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: pkcs1)
            case .rs384: publicKey.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: pkcs1)
            case .rs512: publicKey.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: pkcs1)
            case .ps256: publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: .PSS)
            case .es256: false
            }
        case .p256(let publicKey):
            // JWS carries r||s (64 bytes), never DER (RFC 7518 §3.4); anything else cannot verify.
            guard self == .es256, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else {
                return false
            }
            return publicKey.isValidSignature(ecdsa, for: SHA256.hash(data: input))
        }
    }
}
