import Crypto
import Foundation

/// One owner's 256-bit data key. Fields are sealed and search tokens derived from keys that
/// HKDF derives from it, with a distinct label per purpose, so the raw data key is never used
/// directly by two algorithms.
///
/// A data key is stored only wrapped by the master key (``MasterKey/wrap(_:owner:)``); deleting
/// the wrapped key makes everything sealed under it unreadable.
public struct DataKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The data key length in bytes (AES-256).
    public static let byteCount = 32

    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// Internal so only unwrapping (and tests) can build a key from raw bytes.
    init?(rawBytes: some ContiguousBytes) {
        let key = SymmetricKey(data: rawBytes)
        guard key.bitCount == Self.byteCount * 8 else { return nil }
        self.key = key
    }

    /// A new random data key.
    public static func generate() -> DataKey {
        DataKey(key: SymmetricKey(size: .bits256))
    }

    /// Derives a 256-bit sub-key for one purpose. `label` must be unique per purpose and versioned.
    func derivedKey(label: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(label.utf8), outputByteCount: 32)
    }

    var rawBytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    // Never print the key itself.
    public var description: String { "DataKey(redacted)" }
    public var debugDescription: String { description }
}
