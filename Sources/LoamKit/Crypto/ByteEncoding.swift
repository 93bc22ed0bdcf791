import Foundation

// Associated data and MAC inputs are built from several strings. Each part is written with a
// 4-byte big-endian length so no two different lists of parts can encode to the same bytes
// ("ab"+"c" vs "a"+"bc"), and each use starts with its own label so one purpose's bytes are
// never valid for another.
enum ByteEncoding {
    static func lengthPrefixed(label: String, _ parts: [String]) -> Data {
        // Built in one byte array and handed over as one Data: appending to a Data a byte at a time was a visible
        // share of an import, which seals a few fields and hashes a few search terms per interaction.
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(label.utf8.count + 4) { $0 + $1.utf8.count + 4 })
        for part in CollectionOfOne(label) + parts {
            let count = UInt32(truncatingIfNeeded: part.utf8.count)
            out += [
                UInt8(truncatingIfNeeded: count >> 24), UInt8(truncatingIfNeeded: count >> 16),
                UInt8(truncatingIfNeeded: count >> 8),
                UInt8(truncatingIfNeeded: count),
            ]
            out += part.utf8
        }
        return Data(out)
    }

    static func appendBigEndian(_ value: UInt32, to data: inout Data) {
        data.append(UInt8(truncatingIfNeeded: value >> 24))
        data.append(UInt8(truncatingIfNeeded: value >> 16))
        data.append(UInt8(truncatingIfNeeded: value >> 8))
        data.append(UInt8(truncatingIfNeeded: value))
    }

    /// Reads a big-endian UInt32 from the first four bytes of `bytes`; nil when there are fewer.
    static func readBigEndianUInt32(_ bytes: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var count = 0
        for byte in bytes.prefix(4) {
            value = value << 8 | UInt32(byte)
            count += 1
        }
        return count == 4 ? value : nil
    }

    /// Compares every byte of both inputs, with no early exit, so timing does not reveal where they differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt64(truncatingIfNeeded: lhs.count ^ rhs.count)
        let count = max(lhs.count, rhs.count)
        for index in 0..<count {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= UInt64(left ^ right)
        }
        return difference == 0
    }

    static func randomBytes(count: Int) -> [UInt8] {
        // SystemRandomNumberGenerator is documented as cryptographically secure on every platform
        // (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
