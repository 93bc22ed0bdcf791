/// A canonical Huffman code of a DEFLATE block (RFC 1951 §3.2.2) as one lookup table: index by the next
/// `bits` bits of the stream, get the symbol and its code length. Codes are at most 15 bits, so a table has at
/// most 32,768 entries; a block's codes are built once and decode thousands of symbols.
struct HuffmanTable {
    /// `symbol << 4 | length`; 0 where no code leads (an incomplete code), which is damage when reached.
    let entries: [UInt16]
    let bits: Int

    /// Nil when the lengths do not make a prefix code: more codes of some length than fit (over-subscribed),
    /// no code at all, or (as zlib rules) an incomplete code other than a lone code of one bit, which RFC 1951
    /// allows for distances; `lengthCode` (the code of the code lengths) must be complete.
    init?(lengths: ArraySlice<UInt8>, lengthCode: Bool = false) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = (left << 1) - counts[length]
            if left < 0 { return nil }
        }
        guard let longest = (1...15).last(where: { counts[$0] > 0 }) else { return nil }
        if left > 0, lengthCode || longest != 1 { return nil }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        var entries = [UInt16](repeating: 0, count: 1 << longest)
        for (offset, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let code = next[length]
            next[length] += 1
            // The stream holds codes from their first bit, which is the code's most significant.
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(offset << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
        self.entries = entries
        bits = longest
    }

    private init(entries: [UInt16], bits: Int) {
        self.entries = entries
        self.bits = bits
    }

    /// A table no symbol leads to: a block of literals only may declare no distance codes.
    static let empty = HuffmanTable(entries: [0, 0], bits: 1)

    static let fixedLiterals = HuffmanTable(
        lengths: ArraySlice(
            [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112) + [UInt8](repeating: 7, count: 24)
                + [UInt8](repeating: 8, count: 8)))!
    // All 32 five-bit codes, as RFC 1951 defines them; 30 and 31 never occur in valid data.
    static let fixedDistances = HuffmanTable(lengths: ArraySlice([UInt8](repeating: 5, count: 32)))!
}
