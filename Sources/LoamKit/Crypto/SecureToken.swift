import Crypto
import Foundation

/// Random bearer tokens (sessions, invitations, password resets, API keys).
///
/// A token is 256 random bits as unpadded base64url (43 characters), safe in URLs and cookies.
/// Only its SHA-256 is stored, as 64 lowercase hex digits, so a database leak yields no usable
/// token; look a presented token up by ``hash(_:)``. Plain SHA-256 is enough here (unlike for
/// passwords) because the token has full entropy.
public enum SecureToken {
    public static let byteCount = 32

    /// A new token and the hash to store for it. Show the token once; store only the hash.
    public static func generate() -> (token: String, hash: String) {
        let token = Base64.url(ByteEncoding.randomBytes(count: byteCount))
        return (token, hash(token))
    }

    /// The stored form of `token`.
    public static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// True when `text` has the shape of a token this type generates (43 base64url characters);
    /// lets the server reject junk before a database lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.utf8.count == 43, let bytes = Base64.decodeURL(text) else { return false }
        return bytes.count == byteCount
    }
}

extension SecureToken {
    /// A token derived one way from `token` for one `purpose` (HMAC-SHA256 keyed by the token), in the same shape
    /// as a generated one. Whoever holds the derived token learns nothing of `token`; whoever lacks `token`
    /// cannot make it. The form token of a signed-in browser is derived this way from its session's secret.
    public static func derive(_ purpose: String, from token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8), using: SymmetricKey(data: Data(token.utf8)))
        return Base64.url(Array(code))
    }
}
