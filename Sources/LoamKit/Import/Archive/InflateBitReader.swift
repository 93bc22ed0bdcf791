/// The bits of a DEFLATE stream, least significant first (RFC 1951 §3.1.1), over compressed bytes pulled in
/// chunks. Kept in a struct so the inflater's hot loop works on a local copy, not on class properties.
struct InflateBitReader {
    /// The next compressed bytes; empty when there are no more.
    let fetch: () throws -> [UInt8]
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    private(set) var bits: UInt64 = 0
    private(set) var count = 0

    init(fetch: @escaping () throws -> [UInt8]) { self.fetch = fetch }

    /// Fills the bit buffer to at least 57 bits, or as far as the input goes.
    @inline(__always)
    mutating func refill() throws {
        while count <= 56 {
            if position + 8 <= buffer.count {
                // Eight bytes at once, keeping the whole bytes that fit. Bits above `count` may already hold the
                // next byte's bits; OR-ing them in again when that byte is taken changes nothing.
                let word = buffer.withUnsafeBytes {
                    UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                }
                bits |= word << UInt64(count)
                let taken = (64 - count) >> 3
                position += taken
                count += taken << 3
                return
            }
            if position < buffer.count {
                bits |= UInt64(buffer[position]) << UInt64(count)
                position += 1
                count += 8
            } else if ended {
                return
            } else {
                buffer = try fetch()
                position = 0
                if buffer.isEmpty { ended = true }
            }
        }
    }

    /// Makes sure `n` (at most 57) bits are buffered, or throws: the stream ends too soon.
    @inline(__always)
    mutating func need(_ n: Int) throws {
        if count < n {
            try refill()
            if count < n { throw Inflater.truncated }
        }
    }

    @inline(__always)
    mutating func take(_ n: Int) -> Int {
        let value = Int(truncatingIfNeeded: bits & ((1 << UInt64(n)) - 1))
        bits >>= UInt64(n)
        count -= n
        return value
    }

    /// Takes `n` bits the caller has `need`ed.
    @inline(__always)
    mutating func drop(_ n: Int) {
        bits >>= UInt64(n)
        count -= n
    }

    /// Drops the bits up to the next byte boundary (a stored block starts on one).
    mutating func alignToByte() { drop(count % 8) }

    /// Copies up to `limit` whole bytes into `out` from `start`, after `alignToByte`; returns how many, 0 at the
    /// end of the input.
    mutating func copyBytes(into out: UnsafeMutableBufferPointer<UInt8>, at start: Int, limit: Int) throws -> Int {
        var copied = 0
        while copied < limit, count >= 8 {
            out[start + copied] = UInt8(truncatingIfNeeded: bits)
            drop(8)
            copied += 1
        }
        while copied < limit {
            if position == buffer.count {
                if ended { break }
                buffer = try fetch()
                position = 0
                if buffer.isEmpty {
                    ended = true
                    break
                }
            }
            let n = min(limit - copied, buffer.count - position)
            for i in 0..<n { out[start + copied + i] = buffer[position + i] }
            position += n
            copied += n
        }
        return copied
    }
}
