import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), S256 only.
///
/// The verifier stays with the sign-in attempt; only its challenge goes to the provider, so a
/// stolen authorization code is useless without it. `plain` is not offered: it protects
/// nothing once the challenge is seen.
public enum PKCE {
    /// 32 random bytes as unpadded base64url: 43 characters, 256 bits (RFC 7636 §4.1).
    public static func makeVerifier() -> String {
        Base64.url(ByteEncoding.randomBytes(count: 32))
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 §4.2).
    public static func challenge(for verifier: String) -> String {
        Base64.url(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}
