import Foundation

/// One physical line of a vCard (or iCalendar) file, without its line ending, with its own array of bytes, as the
/// iCalendar reader takes them.
struct VCardPhysicalLine {
    /// The line's bytes, at most `VCardLineSource.maximumLineBytes` of them.
    var bytes: [UInt8]
    /// 1-based.
    var number: Int
    /// Bytes past the cap that were read and dropped, and how many of those were base64 digits, so a
    /// photo on one enormous line is still measured without being held.
    var droppedBytes = 0
    var droppedBase64Digits = 0
    /// File offset just after the line and its line ending.
    var endOffset: Int64
}

/// `VCardPhysicalLine` with its bytes a slice of the chunk it was read from when it lies within one (most lines
/// do), so the vCard reader gets its lines without a copy each. (Not one generic type: the generic's copies went
/// through value witnesses, a few percent of the reader's time.)
struct VCardSlicedLine {
    var bytes: ArraySlice<UInt8>
    var number: Int
    var droppedBytes = 0
    var droppedBase64Digits = 0
    var endOffset: Int64
}

/// Physical lines from fixed-size chunks of a file, so a file of any size is read in bounded memory.
/// Lines end with LF, CRLF or a lone CR; a leading UTF-8 BOM is dropped.
struct VCardLineSource {
    static let chunkSize = 64 * 1024
    /// Longer lines keep only their first bytes (a photo on one line is measured, not kept; any other
    /// property that long is dropped by the reader).
    static let maximumLineBytes = 1 << 20

    private let source: any ImportByteSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var offset: Int64 = 0
    private var lineNumber = 0
    private var atStart = true
    private var peeked: VCardSlicedLine?
    /// `peeked` as `peek()` handed it out, so `next()` does not copy it again.
    private var peekedCopy: VCardPhysicalLine?
    /// Offset after the last line handed out (a peeked line is not counted until it is taken).
    private(set) var consumed: Int64 = 0

    init(source: any ImportByteSource, firstChunk: [UInt8]) {
        self.source = source
        self.buffer = firstChunk
        self.atEnd = firstChunk.isEmpty
    }

    mutating func peekSlice() throws -> VCardSlicedLine? {
        if peeked == nil { peeked = try read() }
        return peeked
    }

    mutating func nextSlice() throws -> VCardSlicedLine? {
        let line = try peeked.take() ?? read()
        peekedCopy = nil
        if let line { consumed = line.endOffset }
        return line
    }

    /// The next line if `wanted` accepts it; it is looked at in place, so a line left for later is not copied.
    mutating func nextSlice(if wanted: (VCardSlicedLine) -> Bool) throws -> VCardSlicedLine? {
        if peeked == nil { peeked = try read() }
        guard peeked.map(wanted) ?? false else { return nil }
        return try nextSlice()
    }

    mutating func peek() throws -> VCardPhysicalLine? {
        if peekedCopy == nil { peekedCopy = try peekSlice().map(Self.copy) }
        return peekedCopy
    }

    mutating func next() throws -> VCardPhysicalLine? {
        let copy = peekedCopy
        return try nextSlice().map { copy ?? Self.copy($0) }
    }

    private static func copy(_ line: VCardSlicedLine) -> VCardPhysicalLine {
        VCardPhysicalLine(
            bytes: Array(line.bytes), number: line.number, droppedBytes: line.droppedBytes,
            droppedBase64Digits: line.droppedBase64Digits, endOffset: line.endOffset)
    }

    private mutating func fill() throws -> Bool {
        if atEnd { return false }
        let data = try source.read(upToCount: Self.chunkSize)
        guard !data.isEmpty else {
            atEnd = true
            return false
        }
        buffer = data
        position = 0
        return true
    }

    private mutating func read() throws -> VCardSlicedLine? {
        // The bytes of a line that began in an earlier chunk; nil while the line lies within this one.
        var carried: [UInt8]?
        var dropped = 0
        var droppedDigits = 0
        var sawAny = false
        while true {
            if position >= buffer.count {
                guard try fill() else { break }
            }
            if atStart {
                atStart = false
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
                    position += 3
                    offset += 3
                }
                continue
            }
            sawAny = true
            // Scan for the line end within this chunk.
            let start = position
            var end = position
            var terminator: UInt8?
            buffer.withUnsafeBufferPointer { bytes in
                while end < bytes.count {
                    let byte = bytes[end]
                    if byte == 0x0A || byte == 0x0D {
                        terminator = byte
                        break
                    }
                    end += 1
                }
            }
            let room = Self.maximumLineBytes - (carried?.count ?? 0)
            let keptEnd = end - start <= room ? end : start + room
            if keptEnd < end {
                for byte in buffer[keptEnd..<end] where Self.isBase64Digit(byte) { droppedDigits += 1 }
                dropped += end - keptEnd
            }
            // Taken before the CRLF check below, which may read the next chunk into `buffer`.
            let kept = buffer[start..<keptEnd]
            offset += Int64(end - start)
            position = end
            guard let terminator else {
                carried = carried ?? []
                carried?.append(contentsOf: kept)
                continue
            }
            position += 1
            offset += 1
            // CRLF: take the LF now (from the next chunk if need be), so the line's end offset includes it.
            if terminator == 0x0D, try position < buffer.count || fill(), buffer[position] == 0x0A {
                position += 1
                offset += 1
            }
            lineNumber += 1
            return VCardSlicedLine(
                bytes: carried.map { ($0 + kept)[...] } ?? kept, number: lineNumber, droppedBytes: dropped,
                droppedBase64Digits: droppedDigits, endOffset: offset)
        }
        guard sawAny else { return nil }
        // The last line, without a line ending.
        lineNumber += 1
        return VCardSlicedLine(
            bytes: (carried ?? [])[...], number: lineNumber, droppedBytes: dropped, droppedBase64Digits: droppedDigits,
            endOffset: offset)
    }

    static func isBase64Digit(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2B
            || byte == 0x2F || byte == 0x2D || byte == 0x5F
    }
}
