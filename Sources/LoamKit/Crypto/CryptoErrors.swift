// Typed errors for the crypto primitives. Cases carry key ids and sizes only, never key
// material or plaintext, so they are safe to log and to render.

/// Why a master key could not be loaded.
public enum MasterKeyError: Error, Equatable, Sendable {
    /// The text is not standard base64.
    case invalidBase64
    /// The key decoded to the wrong number of bytes (32 are required).
    case wrongLength(Int)
}

/// Why a data key could not be wrapped or unwrapped.
public enum KeyWrapError: Error, Equatable, Sendable {
    /// The wrapped key is shorter than its format requires.
    case truncated
    /// The wrapped key starts with a format version this build does not know.
    case unknownVersion(UInt8)
    /// The wrapped key was made with another master key than the one asked to open it.
    case wrongMasterKey(expected: UInt32, found: UInt32)
    /// No master key in the keyring has the id the wrapped key names.
    case unknownMasterKey(UInt32)
    /// The wrapped key was tampered with, or belongs to another owner.
    case authenticationFailed
    /// The underlying AES-GCM seal failed (not expected with valid keys).
    case sealFailed
}

/// Why a field could not be sealed or opened.
public enum FieldCipherError: Error, Equatable, Sendable {
    /// The sealed value is shorter than its header, nonce and tag.
    case truncated
    /// The sealed value starts with a format version this build does not know.
    case unknownVersion(UInt8)
    /// The header names an algorithm this build does not know.
    case unknownAlgorithm(UInt8)
    /// The value was sealed under another data key than the one asked to open it.
    case wrongKeyID(expected: UInt32, found: UInt32)
    /// The value was tampered with, or was moved to another table, column, row or owner.
    case authenticationFailed
    /// The opened bytes are not UTF-8 (asked for a `String`).
    case invalidUTF8
    /// The underlying AES-GCM seal failed (not expected with valid keys).
    case sealFailed
}

/// Why a password hasher could not be made or could not hash.
public enum PasswordHasherError: Error, Equatable, Sendable {
    /// The iteration count is below what the hasher accepts (see ``PasswordHasher``).
    case iterationsTooLow(Int, minimum: Int)
    /// The iteration count is above ``PasswordHasher/maximumIterations``.
    case iterationsTooHigh(Int, maximum: Int)
    /// PBKDF2 itself failed (not expected with valid parameters).
    case derivationFailed
}
