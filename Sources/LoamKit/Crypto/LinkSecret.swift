import Crypto
import Foundation

/// Secrets for links that must be shown again and survive a resend (an invitation the inviter copies
/// later): derived from the record with a server key instead of stored, so the database never holds them.
///
/// The secret is HMAC-SHA256 over the purpose, the record's id and its nonce, under a key derived from a
/// data key (label "loam/link-secret/v1"), as 43 characters of unpadded base64url. Changing the nonce
/// invalidates every earlier link of the record; rotating the master key does not, since it only re-wraps
/// data keys.
public struct LinkSecret: Sendable {
    private let key: SymmetricKey

    public init(dataKey: DataKey) {
        self.key = dataKey.derivedKey(label: "loam/link-secret/v1")
    }

    public func secret(purpose: String, id: String, nonce: String) -> String {
        let message = ByteEncoding.lengthPrefixed(label: "loam/link-secret/v1", [purpose, id, nonce])
        return Base64.url(Array(HMAC<SHA256>.authenticationCode(for: message, using: key)))
    }

    /// Whether `candidate` is the secret of the record, compared in constant time.
    public func matches(_ candidate: String, purpose: String, id: String, nonce: String) -> Bool {
        // Only the one canonical spelling: base64 leaves spare bits in the last character, and a decoder that
        // ignores them would let several strings stand for the same secret.
        guard let presented = Base64.decodeURL(candidate), presented.count == SHA256.byteCount,
            Base64.url(presented) == candidate
        else { return false }
        let message = ByteEncoding.lengthPrefixed(label: "loam/link-secret/v1", [purpose, id, nonce])
        return HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: message, using: key)
    }
}
