import Foundation

/// One physical line of a vCard file, without its line ending.
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
    private var peeked: VCardPhysicalLine?
    /// Offset after the last line handed out (a peeked line is not counted until it is taken).
    private(set) var consumed: Int64 = 0

    init(source: any ImportByteSource, firstChunk: [UInt8]) {
        self.source = source
        self.buffer = firstChunk
        self.atEnd = firstChunk.isEmpty
    }

    mutating func peek() throws -> VCardPhysicalLine? {
        if peeked == nil { peeked = try read() }
        return peeked
    }

    mutating func next() throws -> VCardPhysicalLine? {
        let line = try peek()
        peeked = nil
        if let line { consumed = line.endOffset }
        return line
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

    private mutating func read() throws -> VCardPhysicalLine? {
        var line: [UInt8] = []
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
            let room = Self.maximumLineBytes - line.count
            if end - start <= room {
                line.append(contentsOf: buffer[start..<end])
            } else {
                line.append(contentsOf: buffer[start..<(start + room)])
                for byte in buffer[(start + room)..<end] where Self.isBase64Digit(byte) { droppedDigits += 1 }
                dropped += end - start - room
            }
            offset += Int64(end - start)
            position = end
            if let terminator {
                position += 1
                offset += 1
                // CRLF: take the LF now (from the next chunk if need be), so the line's end offset includes it.
                if terminator == 0x0D, try position < buffer.count || fill(), buffer[position] == 0x0A {
                    position += 1
                    offset += 1
                }
                lineNumber += 1
                return VCardPhysicalLine(
                    bytes: line, number: lineNumber, droppedBytes: dropped, droppedBase64Digits: droppedDigits,
                    endOffset: offset)
            }
        }
        guard sawAny else { return nil }
        // The last line, without a line ending.
        lineNumber += 1
        return VCardPhysicalLine(
            bytes: line, number: lineNumber, droppedBytes: dropped, droppedBase64Digits: droppedDigits,
            endOffset: offset)
    }

    static func isBase64Digit(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2B
            || byte == 0x2F || byte == 0x2D || byte == 0x5F
    }
}
