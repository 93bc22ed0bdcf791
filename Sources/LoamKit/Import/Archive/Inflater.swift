/// A streaming DEFLATE decoder (RFC 1951: stored, fixed and dynamic Huffman blocks, a 32 KB window), written
/// here because LoamKit links no C library and `swift run loam serve` must build with the toolchain alone.
/// Output comes in chunks of at most `chunkSize` bytes as the caller reads, so memory is the window plus one
/// chunk whatever the stream inflates to. Errors are `ImportFileError`s.
final class Inflater {
    static let windowSize = 32 * 1024
    static let chunkSize = 64 * 1024

    static var truncated: ImportFileError { .unreadable("the compressed data ends too soon (an incomplete download?)") }
    static func damaged(_ what: String) -> ImportFileError { .unreadable("the compressed data is damaged: \(what)") }

    private enum State {
        case blockHeader
        case stored(remaining: Int)
        case huffman(literals: HuffmanTable, distances: HuffmanTable)
        case done
    }

    private var input: InflateBitReader
    private var state = State.blockHeader
    private var lastBlock = false
    /// The last `windowSize` bytes handed out (a match reaches back into them), then the bytes not yet handed out.
    private var output: [UInt8]
    private var outputEnd = 0
    private var delivered = 0
    /// Every byte decoded so far, to refuse a match reaching before the first.
    private var produced: Int64 = 0

    /// `fetch` gives the next compressed bytes, empty when there are no more.
    init(fetch: @escaping () throws -> [UInt8]) {
        input = InflateBitReader(fetch: fetch)
        // One match (at most 258 bytes) may run past the chunk's end before decoding stops.
        output = [UInt8](repeating: 0, count: Self.windowSize + Self.chunkSize + 258)
    }

    /// True once the final block has been decoded and all of it handed out.
    var isFinished: Bool {
        if case .done = state { return delivered == outputEnd }
        return false
    }

    /// The next inflated bytes, at most `count`; empty at the end of the stream.
    func read(upToCount count: Int) throws -> [UInt8] {
        if delivered == outputEnd {
            if case .done = state { return [] }
            try decodeChunk()
        }
        let end = min(outputEnd, delivered + max(count, 1))
        defer { delivered = end }
        return Array(output[delivered..<end])
    }

    /// Slides the window to the front and decodes until a chunk is ready or the stream ends.
    private func decodeChunk() throws {
        if outputEnd > Self.windowSize {
            let keep = outputEnd - Self.windowSize
            output.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                base.update(from: base + keep, count: Self.windowSize)
            }
            outputEnd = Self.windowSize
            delivered = outputEnd
        }
        // At most a chunk past what has been handed out (the window before the first slide is not full).
        let limit = min(Self.windowSize, outputEnd) + Self.chunkSize
        while outputEnd < limit {
            switch state {
            case .done:
                return
            case .blockHeader:
                try readBlockHeader()
            case .stored(let remaining):
                let room = min(remaining, limit - outputEnd)
                let copied = try output.withUnsafeMutableBufferPointer { buffer in
                    try input.copyBytes(into: buffer, at: outputEnd, limit: room)
                }
                guard copied == room else { throw Self.truncated }
                outputEnd += copied
                produced += Int64(copied)
                state =
                    remaining == copied ? (lastBlock ? .done : .blockHeader) : .stored(remaining: remaining - copied)
            case .huffman(let literals, let distances):
                if try decodeSymbols(literals: literals, distances: distances, limit: limit) {
                    state = lastBlock ? .done : .blockHeader
                }
            }
        }
    }

    private func readBlockHeader() throws {
        try input.need(3)
        lastBlock = input.take(1) == 1
        switch input.take(2) {
        case 0:
            input.alignToByte()
            try input.need(32)
            let length = input.take(16)
            let complement = input.take(16)
            guard length == ~complement & 0xFFFF else {
                throw Self.damaged("a stored block's length and its complement disagree")
            }
            state = length == 0 ? (lastBlock ? .done : .blockHeader) : .stored(remaining: length)
        case 1:
            state = .huffman(literals: .fixedLiterals, distances: .fixedDistances)
        case 2:
            let (literals, distances) = try readDynamicCodes()
            state = .huffman(literals: literals, distances: distances)
        default:
            throw Self.damaged("a block of the reserved type 3")
        }
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private func readDynamicCodes() throws -> (HuffmanTable, HuffmanTable) {
        try input.need(14)
        let literalCount = input.take(5) + 257
        let distanceCount = input.take(5) + 1
        let codeLengthCount = input.take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw Self.damaged("a block declares more codes than DEFLATE has")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            try input.need(3)
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(input.take(3))
        }
        guard let codeLengths = HuffmanTable(lengths: codeLengthLengths[...], lengthCode: true) else {
            throw Self.damaged("a block's code-length code is not a prefix code")
        }
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            let symbol = try decode(codeLengths)
            var repeated: UInt8 = 0
            var times = 0
            switch symbol {
            case 0...15:
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            case 16:
                guard index > 0 else { throw Self.damaged("a code length repeats before the first") }
                try input.need(2)
                repeated = lengths[index - 1]
                times = 3 + input.take(2)
            case 17:
                try input.need(3)
                times = 3 + input.take(3)
            default:
                try input.need(7)
                times = 11 + input.take(7)
            }
            guard index + times <= lengths.count else { throw Self.damaged("code lengths run past the codes declared") }
            for _ in 0..<times {
                lengths[index] = repeated
                index += 1
            }
        }
        guard lengths[256] > 0 else { throw Self.damaged("a block with no end-of-block code") }
        guard let literals = HuffmanTable(lengths: lengths[0..<literalCount]) else {
            throw Self.damaged("a block's literal/length code is not a prefix code")
        }
        // A block of literals only may have no distance codes at all; a match would then hit an empty entry.
        let distanceLengths = lengths[literalCount...]
        let distances =
            HuffmanTable(lengths: distanceLengths)
            ?? (distanceLengths.allSatisfy { $0 == 0 } ? HuffmanTable.empty : nil)
        guard let distances else { throw Self.damaged("a block's distance code is not a prefix code") }
        return (literals, distances)
    }

    private func decode(_ table: HuffmanTable) throws -> Int { try Self.decode(table, from: &input) }

    @inline(__always)
    private static func decode(_ table: HuffmanTable, from input: inout InflateBitReader) throws -> Int {
        if input.count < table.bits { try input.refill() }
        let entry = Int(table.entries[Int(input.bits & UInt64(table.entries.count - 1))])
        let length = entry & 15
        guard length > 0 else { throw damaged("a code that no symbol has") }
        guard length <= input.count else { throw truncated }
        input.drop(length)
        return entry >> 4
    }

    private static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145,
        8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// Decodes symbols of a Huffman block until `limit` bytes are in the output (false) or the block ends (true).
    private func decodeSymbols(literals: HuffmanTable, distances: HuffmanTable, limit: Int) throws -> Bool {
        // Locals, not properties, in the loop that runs once per byte or match.
        var end = outputEnd
        var input = self.input
        defer {
            produced += Int64(end - outputEnd)
            outputEnd = end
            self.input = input
        }
        let history = produced - Int64(outputEnd)
        return try output.withUnsafeMutableBufferPointer { out in
            while end < limit {
                let symbol = try Self.decode(literals, from: &input)
                if symbol < 256 {
                    out[end] = UInt8(truncatingIfNeeded: symbol)
                    end += 1
                    continue
                }
                if symbol == 256 { return true }
                let lengthCode = symbol - 257
                guard lengthCode < 29 else { throw Self.damaged("a length code of 286 or 287") }
                let lengthExtraBits = Self.lengthExtra[lengthCode]
                try input.need(lengthExtraBits)
                let length = Self.lengthBase[lengthCode] + input.take(lengthExtraBits)
                let distanceCode = try Self.decode(distances, from: &input)
                guard distanceCode < 30 else { throw Self.damaged("a distance code of 30 or 31") }
                let distanceExtraBits = Self.distanceExtra[distanceCode]
                try input.need(distanceExtraBits)
                let distance = Self.distanceBase[distanceCode] + input.take(distanceExtraBits)
                guard Int64(distance) <= history + Int64(end) else {
                    throw Self.damaged("a match reaching before the first byte")
                }
                var from = end - distance
                if distance >= length {
                    (out.baseAddress! + end).update(from: out.baseAddress! + from, count: length)
                    end += length
                } else {
                    // An overlapping match repeats the bytes it is writing.
                    for _ in 0..<length {
                        out[end] = out[from]
                        end += 1
                        from += 1
                    }
                }
            }
            return false
        }
    }
}
