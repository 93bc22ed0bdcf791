import Crypto
import Foundation

/// The 32-byte key that wraps every owner's data key (envelope encryption).
///
/// It never encrypts user data itself, so rotating it means re-wrapping data keys only
/// (see ``MasterKeyring``). Its ``keyID`` is derived from the key, so no separate id needs
/// configuring and a wrapped key always names the master key that can open it.
public struct MasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The master key length in bytes (AES-256).
    public static let byteCount = 32

    let key: SymmetricKey

    /// A short fingerprint of the key, written into every wrapped data key.
    ///
    /// It is the first four bytes of HMAC-SHA256(key, "loam/master-key-id/v1"): it identifies
    /// the key without revealing anything useful about it.
    public let keyID: UInt32

    /// Loads a key from standard base64 (padding optional, surrounding whitespace ignored, so a
    /// key file's trailing newline is fine).
    public init(base64: String) throws(MasterKeyError) {
        let text = base64.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Base64.decodeStandard(text) else { throw .invalidBase64 }
        guard bytes.count == Self.byteCount else { throw .wrongLength(bytes.count) }
        self.init(key: SymmetricKey(data: bytes))
    }

    init(key: SymmetricKey) {
        self.key = key
        let mac = HMAC<SHA256>.authenticationCode(for: Data("loam/master-key-id/v1".utf8), using: key)
        self.keyID = ByteEncoding.readBigEndianUInt32(Array(mac)) ?? 0
    }

    /// A new random master key.
    public static func generate() -> MasterKey {
        MasterKey(key: SymmetricKey(size: .bits256))
    }

    /// The key as padded standard base64, for writing a key file or `LOAM_MASTER_KEY`.
    public var base64: String {
        key.withUnsafeBytes { Base64.standard($0, padded: true) }
    }

    // Never print the key itself, however a MasterKey ends up in a log or an error message.
    public var description: String { "MasterKey(id: \(keyID))" }
    public var debugDescription: String { description }
}
