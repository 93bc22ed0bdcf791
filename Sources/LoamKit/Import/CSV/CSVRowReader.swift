/// RFC 4180 rows from fixed-size chunks of a file, so a file of any size is read in bounded memory.
///
/// Read as the writers of real exports write, and as Python's `csv` module reads:
/// - fields are separated by commas; a field that starts with `"` is quoted, may hold commas, line breaks (a
///   multi-line note) and `""` for a quote; a quote inside an unquoted field is kept as it is, and bytes after a
///   closing quote are added to the field (`"ab"c` is `abc`);
/// - rows end with CRLF, LF or a lone CR, also when a chunk ends between the CR and the LF; blank lines are no rows;
/// - a UTF-8 BOM at the start is dropped;
/// - rows may have any number of fields (ragged rows); readers look fields up by header name.
///
/// A row that passes `maximumRowBytes` (a quote opened by mistake that swallows the rest of the file looks so) is
/// read past to the end of the line where it did and handed out with `.tooLong`, so one bad quote loses a
/// megabyte, not the rest of the file; a file that ends inside a quoted field hands out the cut row with
/// `.unterminatedQuote`.
final class CSVRowReader {
    static let chunkSize = 64 * 1024
    static let maximumRowBytes = 1 << 20
    static let maximumFields = 4096

    private let source: any ImportByteSource
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd: Bool
    /// File offset of `buffer[position]`.
    private var offset: Int64 = 0
    /// Offset just after the last row handed out (and, at the end, the whole file).
    private(set) var consumed: Int64 = 0
    /// The state machine, a struct moved out for each chunk: the class's own properties would be checked for
    /// exclusive access on every byte.
    private var cursor = Cursor()

    init(source: any ImportByteSource, firstChunk: [UInt8]) {
        self.source = source
        buffer = firstChunk
        atEnd = firstChunk.isEmpty
        if firstChunk.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
            offset = 3
        }
    }

    /// Reads all of `bytes` in memory: for format detection on a file's first bytes.
    convenience init(bytes: [UInt8]) {
        self.init(source: ByteArraySource([]), firstChunk: bytes)
    }

    /// The next row, nil at the end of the file.
    func next() throws -> CSVRow? {
        while true {
            if position >= buffer.count {
                guard try fill() else {
                    consumed = offset
                    return cursor.finish()
                }
            }
            var moved = Cursor()
            swap(&moved, &cursor)
            let (end, rowEnded) = buffer.withUnsafeBufferPointer { moved.scan($0, from: position) }
            swap(&moved, &cursor)
            offset += Int64(end - position)
            position = end
            if rowEnded {
                consumed = offset
                return cursor.takeRow()
            }
        }
    }

    private func fill() throws -> Bool {
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
}

private struct Cursor {
    enum State { case rowStart, fieldStart, unquoted, quoted, quoteInQuoted, discardToLineEnd }
    var state = State.rowStart
    var row = CSVRow(line: 1)
    var line = 1
    var tooLong = false
    /// A CR ended the last line: an LF right after it (maybe in the next chunk) belongs to it.
    var afterCR = false
    /// A CR inside a quoted field that ended the last chunk: an LF starting the next one is the same line break.
    var quotedCRAtChunkEnd = false

    mutating func finish() -> CSVRow? {
        switch state {
        case .rowStart:
            return nil
        case .quoted:
            row.problem = .unterminatedQuote
        case .discardToLineEnd:
            break
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
        }
        return takeRow()
    }

    mutating func takeRow() -> CSVRow {
        if tooLong { row.problem = .tooLong }
        var done = CSVRow(line: line)
        done.bytes.reserveCapacity(row.bytes.count)
        done.ends.reserveCapacity(row.ends.count)
        swap(&done, &row)
        state = .rowStart
        tooLong = false
        return done
    }

    mutating func endField() {
        guard !tooLong else { return }
        if row.ends.count == CSVRowReader.maximumFields {
            overflow()
            return
        }
        row.ends.append(row.bytes.count)
    }

    mutating func overflow() {
        tooLong = true
        row.bytes = []
        row.ends = []
        state = .discardToLineEnd
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence) {
        // Empty runs are most of an Outlook export (every field quoted, most empty): not worth Array's append.
        guard !tooLong, !bytes.isEmpty else { return }
        if row.bytes.count + bytes.count > CSVRowReader.maximumRowBytes {
            overflow()
        } else {
            row.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes))
        }
    }

    mutating func lineBreak(_ byte: UInt8) {
        line += 1
        afterCR = byte == 0x0D
    }

    /// Runs the state machine over `bytes` from `start` up to the end of a row (just after its line break) or of
    /// the chunk.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, rowEnded: Bool) {
        var index = start
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if afterCR {
                afterCR = false
                if byte == 0x0A {
                    index += 1
                    continue
                }
            }
            switch state {
            case .rowStart:
                if byte == 0x0A || byte == 0x0D {
                    lineBreak(byte)
                    index += 1
                    continue
                }
                row.line = line
                state = .fieldStart
            case .fieldStart:
                if byte == 0x22 {
                    state = .quoted
                    index += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var end = index
                while end < count, bytes[end] != 0x2C, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                append(bytes[index..<end])
                index = end
                guard end < count, !tooLong else { continue }
                index += 1
                endField()
                if bytes[end] == 0x2C {
                    if !tooLong { state = .fieldStart }
                } else {
                    lineBreak(bytes[end])
                    return (index, true)
                }
            case .quoted:
                // Scan no further than the byte that would pass the limit, so a quote that never closes is
                // dropped from there to the end of that line, not to the end of the file.
                let room = CSVRowReader.maximumRowBytes - row.bytes.count
                let limit = min(count, index + room + 1)
                var end = index
                while end < limit, bytes[end] != 0x22 {
                    let inner = bytes[end]
                    if inner == 0x0D {
                        line += 1
                    } else if inner == 0x0A, !(end > 0 ? bytes[end - 1] == 0x0D : quotedCRAtChunkEnd) {
                        line += 1
                    }
                    end += 1
                }
                quotedCRAtChunkEnd = end == count && end > 0 && bytes[end - 1] == 0x0D
                if end - index > room {
                    overflow()
                    index = end
                    let last = bytes[end - 1]
                    if last == 0x0A || last == 0x0D {
                        // The limit was passed on a line break (already counted): the row ends there.
                        afterCR = last == 0x0D
                        return (index, true)
                    }
                    continue
                }
                append(bytes[index..<end])
                index = end
                if end < count {
                    state = .quoteInQuoted
                    index += 1
                }
            case .quoteInQuoted:
                if byte == 0x22 {
                    append(bytes[index..<(index + 1)])
                    state = .quoted
                    index += 1
                } else {
                    state = .unquoted
                }
            case .discardToLineEnd:
                var end = index
                while end < count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                index = end
                guard end < count else { continue }
                index += 1
                lineBreak(bytes[end])
                return (index, true)
            }
        }
        return (index, false)
    }
}
