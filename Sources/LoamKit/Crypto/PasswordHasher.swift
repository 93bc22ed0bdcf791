import Crypto
import CryptoExtras
import Foundation

/// PBKDF2-HMAC-SHA256 password hashing, stored as a ``PHCString``.
///
/// Production runs at 600,000 iterations (OWASP 2023 for PBKDF2-HMAC-SHA256); the server's
/// configuration refuses anything lower. This type itself only refuses counts below
/// ``minimumIterations`` (swift-crypto's own floor of 210,000) unless built with
/// `allowInsecureIterationsForTesting: true`, which exists so tests and known-answer vectors
/// can run at low counts. Never set it outside tests.
///
/// Passwords are normalized to Unicode NFKC before hashing (NIST SP 800-63B), so the same
/// password typed on keyboards that compose accents differently hashes the same.
public struct PasswordHasher: Sendable {
    /// The production iteration count.
    public static let defaultIterations = 600_000
    /// The lowest count accepted without `allowInsecureIterationsForTesting` (swift-crypto's floor).
    public static let minimumIterations = 210_000
    /// Upper bound on iterations, so a crafted hash cannot make one verification take minutes.
    public static let maximumIterations = 10_000_000
    public static let saltByteCount = 16
    public static let hashByteCount = 32

    /// The iteration count new hashes are made with.
    public let iterations: Int
    private let allowInsecureIterations: Bool

    /// A hasher at the production count of 600,000 iterations.
    public init() {
        self.iterations = Self.defaultIterations
        self.allowInsecureIterations = false
    }

    /// - Parameters:
    ///   - iterations: the count for new hashes; also the count ``needsRehash(_:)`` expects.
    ///   - allowInsecureIterationsForTesting: accept counts below ``minimumIterations``, both
    ///     for hashing and when verifying stored hashes. Tests only.
    public init(iterations: Int, allowInsecureIterationsForTesting: Bool = false) throws(PasswordHasherError) {
        let minimum = allowInsecureIterationsForTesting ? 1 : Self.minimumIterations
        guard iterations >= minimum else { throw .iterationsTooLow(iterations, minimum: minimum) }
        guard iterations <= Self.maximumIterations else {
            throw .iterationsTooHigh(iterations, maximum: Self.maximumIterations)
        }
        self.iterations = iterations
        self.allowInsecureIterations = allowInsecureIterationsForTesting
    }

    /// Hashes `password` with a fresh 16-byte random salt.
    public func hash(_ password: String) throws(PasswordHasherError) -> String {
        let salt = ByteEncoding.randomBytes(count: Self.saltByteCount)
        let hash = try derive(password, salt: salt, iterations: iterations, byteCount: Self.hashByteCount)
        return PHCString(iterations: iterations, salt: salt, hash: hash).string
    }

    /// A stored hash in this hasher's format that no password matches (a random salt and a random output, not a
    /// derivation), made without the cost of hashing: checking a password against it takes as long as against a
    /// real one, which is what a sign-in for an unknown address needs so that it cannot be told apart by timing.
    public func decoyHash() -> String {
        PHCString(
            iterations: iterations, salt: ByteEncoding.randomBytes(count: Self.saltByteCount),
            hash: ByteEncoding.randomBytes(count: Self.hashByteCount)
        ).string
    }

    /// True when `password` matches `phc`. False for a wrong password and for a malformed,
    /// unknown-algorithm or out-of-bounds hash (salt 1–64 bytes, hash 16–64 bytes, iterations
    /// within this hasher's bounds); never throws or traps.
    ///
    /// The stored iteration count is used, so hashes made before a cost change still verify
    /// (then ``needsRehash(_:)`` says to replace them).
    public func verify(_ password: String, against phc: String) -> Bool {
        guard let parsed = PHCString(parsing: phc),
            parsed.algorithm == PHCString.pbkdf2SHA256,
            (1...64).contains(parsed.salt.count),
            (16...64).contains(parsed.hash.count),
            parsed.iterations >= (allowInsecureIterations ? 1 : Self.minimumIterations),
            parsed.iterations <= Self.maximumIterations,
            let candidate = try? derive(
                password, salt: parsed.salt, iterations: parsed.iterations, byteCount: parsed.hash.count)
        else { return false }
        return ByteEncoding.constantTimeEquals(candidate, parsed.hash)
    }

    /// True when `phc` was not made with this hasher's algorithm, iterations, salt and hash
    /// lengths (or cannot be read): rehash the password after the next successful login.
    public func needsRehash(_ phc: String) -> Bool {
        guard let parsed = PHCString(parsing: phc) else { return true }
        return parsed.algorithm != PHCString.pbkdf2SHA256
            || parsed.iterations != iterations
            || parsed.salt.count != Self.saltByteCount
            || parsed.hash.count != Self.hashByteCount
    }

    private func derive(_ password: String, salt: [UInt8], iterations: Int, byteCount: Int) throws(PasswordHasherError)
        -> [UInt8]
    {
        let passwordBytes = Array(password.precomposedStringWithCompatibilityMapping.utf8)
        do {
            let key: SymmetricKey
            if iterations >= Self.minimumIterations {
                // The checked entry point: swift-crypto enforces its own floor too.
                key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: passwordBytes, salt: salt, using: .sha256, outputByteCount: byteCount, rounds: iterations)
            } else {
                // Reached only with allowInsecureIterationsForTesting (init and verify guard it).
                key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: passwordBytes, salt: salt, using: .sha256, outputByteCount: byteCount,
                    unsafeUncheckedRounds: iterations)
            }
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .derivationFailed
        }
    }
}
