import Crypto
import Foundation
import Synchronization

/// Row identifiers for bulk writes: RFC 9562 version 7 UUIDs, whose first 48 bits are the Unix time in
/// milliseconds, so rows created one after another sort one after another.
///
/// Why: an import writes hundreds of thousands of rows whose primary keys are UUIDs. Random (version 4) keys land
/// on a random page of the key's B-tree each time, and in a profile of `loam import` those page visits were a
/// fifth of SQLite's insert time; time-ordered keys append to the right-most pages instead. PostgreSQL's `uuid`
/// and SQLite's 16-byte blobs both compare byte by byte, so the order holds in both.
///
/// The 12 bits after the version count up within one millisecond (RFC 9562 §6.2, method 1) from a random start,
/// so identifiers from one process are strictly increasing; when they run out the timestamp moves on by one.
/// The last 62 bits are random, from a buffer filled by a CSPRNG a few hundred bytes at a time
/// (Foundation's `UUID()` opened `/dev/urandom` for each identifier, which was visible in the same profile).
/// What a version 7 identifier tells about its row is when it was made, which its `created_at` says anyway.
public enum TimeOrderedUUID {
    private static let state = Mutex(State())

    /// A new identifier, greater than every one this process made before.
    public static func make() -> UUID {
        let milliseconds = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        return state.withLock { $0.next(at: milliseconds) }
    }

    struct State {
        private var lastMilliseconds: UInt64 = 0
        private var counter: UInt16 = 0
        private var random = [UInt8](repeating: 0, count: 512)
        private var used = 512

        /// The next identifier for a clock reading of `milliseconds` (a clock that steps back is not followed).
        mutating func next(at milliseconds: UInt64) -> UUID {
            if milliseconds > lastMilliseconds {
                lastMilliseconds = milliseconds
                // A random start below the middle leaves at least 2,048 identifiers for this millisecond.
                counter = UInt16(truncatingIfNeeded: randomWord() & 0x07FF)
            } else if counter == 0x0FFF {
                lastMilliseconds += 1
                counter = 0
            } else {
                counter += 1
            }
            // 48 bits of time, version 7, the 12-bit counter; then the variant (0b10) and 62 random bits.
            let high = (lastMilliseconds << 16 | 0x7000 | UInt64(counter)).bigEndian
            let low = (randomWord() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000).bigEndian
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &bytes) { out in
                out.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                out.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return UUID(uuid: bytes)
        }

        /// Eight fresh random bytes.
        private mutating func randomWord() -> UInt64 {
            if used + 8 > random.count { refill() }
            defer { used += 8 }
            return random.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: used, as: UInt64.self) }
        }

        private mutating func refill() {
            // A random key is the cheapest way swift-crypto offers to many CSPRNG bytes at once (BoringSSL's
            // RAND_bytes on Linux, the system generator on Apple platforms).
            let key = SymmetricKey(size: SymmetricKeySize(bitCount: random.count * 8))
            key.withUnsafeBytes { bytes in random.withUnsafeMutableBytes { $0.copyMemory(from: bytes) } }
            used = 0
        }
    }
}
