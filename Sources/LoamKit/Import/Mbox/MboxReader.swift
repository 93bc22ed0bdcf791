import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an mbox file (RFC 4155: Google Takeout, Thunderbird, mutt, Apple Mail exports) one message's headers at
/// a time, over fixed-size chunks: memory stays at one chunk plus one header section whatever the file's size.
/// Bodies are skipped to the next "From " line that follows a blank line (`MboxBodyScan`), never decoded or kept.
/// Not thread-safe; one reader per import.
public final class MboxReader {
    /// A header section larger than this is not mail anyone wrote; the message is skipped.
    static let headerLimit = 1 << 20
    static let chunkSize = 256 * 1024

    public let totalBytes: Int64
    /// Bytes of the file the reader has got past, for progress.
    public var bytesRead: Int64 { bufferOffset + Int64(position) }

    private let source: any ImportByteSource
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var endOfFile = false
    /// 1-based number of the line `position` is in.
    private var lineNumber = 1
    private var started = false
    /// The current message's header section when it is read line by line, reused from message to message.
    private var header: [UInt8] = []
    /// The parser's buffers, reused from message to message.
    private var unfolded = MailHeaderParser.UnfoldedFields()

    private static let fromPrefix = Array("From ".utf8)
    private static let cutReason = "the next message starts in the middle of this message's headers"
    private static let noHeadersReason = "there are no header lines after the From line"

    /// Opens the file; throws `ImportFileError.unreadable` when it cannot be read and `.notThisFormat(expected: "mbox")`
    /// when its first bytes are not an mbox's. An empty file is an mbox with no messages.
    public convenience init(path: String) throws {
        try self.init(path: path, chunkSize: MboxReader.chunkSize)
    }

    /// `chunkSize` is for tests that put chunk edges everywhere.
    convenience init(path: String, chunkSize: Int) throws {
        try self.init(source: FileByteSource(path: path), chunkSize: chunkSize)
    }

    /// Reads from any byte source (a sealed upload spool, bytes in memory); throws as `init(path:)` does.
    public convenience init(source: any ImportByteSource) throws {
        try self.init(source: source, chunkSize: MboxReader.chunkSize)
    }

    init(source: any ImportByteSource, chunkSize: Int) throws {
        self.source = source
        self.chunkSize = max(chunkSize, 16)
        totalBytes = source.size
        // Detection reads past leading blank lines, so it gets at least 4 KiB (as `ImportService` gives it)
        // whatever the chunk size: the fuzzer found a file of blank lines longer than a small chunk.
        _ = try fill()
        while buffer.count < 4096, try fill() {}
        let isBlankOnly = buffer.allSatisfy { [0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF].contains($0) } && endOfFile
        guard isBlankOnly || ImportFormat.detect(buffer) == .mbox else {
            throw ImportFileError.notThisFormat(expected: "mbox")
        }
    }

    /// The next message's headers, or a record that could not be read as one; `nil` at the end of the file.
    public func next() throws -> MboxItem? {
        if !started {
            started = true
            try skipPreamble()
        }
        guard try ensure(1) else { return nil }
        let line = lineNumber
        if let item = try readBufferedMessage(line: line) { return item }
        // The header section is not whole in the buffer near the end of the file, or is huge: read it line by line.
        // The "From " line (the envelope) carries nothing the headers lack.
        _ = try consumeLine(storing: false)

        header.removeAll(keepingCapacity: header.capacity <= 64 * 1024)
        var tooLarge = false
        var ended = false
        while try ensure(1) {
            if try startsWithFrom() {
                // A "From " line inside a header section: this message was cut and the next one begins.
                return .skipped(line: line, reason: Self.cutReason)
            }
            if try consumeLine(storing: !tooLarge) {
                ended = true
                break
            }
            if !tooLarge {
                header.append(0x0A)
                if header.count > Self.headerLimit {
                    tooLarge = true
                    header.removeAll()
                }
            }
        }
        guard ended else {
            return .skipped(line: line, reason: "the file ends in the middle of this message's headers")
        }
        try skipBody()
        if tooLarge { return .skipped(line: line, reason: "the header section is larger than 1 MiB") }
        guard let headers = MailHeaderParser.parse(header, line: line) else {
            return .skipped(line: line, reason: Self.noHeadersReason)
        }
        return .message(headers)
    }

    /// The message at `position`, its header lines unfolded straight from the buffer as they are found (reading
    /// chunks until the section is whole in it), then its body skipped; `nil`, with nothing consumed, when the
    /// section cannot be had that way (the file ends first, or it is larger than `headerLimit`) and `next` reads it
    /// line by line instead. Nearly every message is read here: one `memchr` per header line, no copy of the lines.
    private func readBufferedMessage(line: Int) throws -> MboxItem? {
        var scan = HeaderSectionScan()
        unfolded.removeAll()
        while true {
            let start = position
            let outcome = buffer.withUnsafeBufferPointer { scan.advance(in: $0, from: start, unfolding: &unfolded) }
            switch outcome {
            case .needMore:
                guard buffer.count - position <= Self.headerLimit + chunkSize, try fill() else { return nil }
            case .tooLarge:
                return nil
            case .nextMessage(let offset):
                position = start + offset
                lineNumber += scan.lines
                return .skipped(line: line, reason: Self.cutReason)
            case .section(let end):
                var headers = MailHeaderParser.parse(&unfolded, line: line)
                if headers?.date == nil {
                    // Rare: no readable Date. The raw section (the "From " line first) is still in the buffer.
                    buffer.withUnsafeBufferPointer { all in
                        headers?.recoverDate(fromSection: MailByteBuffer(rebasing: all[start..<(start + end)]))
                    }
                }
                position = start + end
                lineNumber += scan.lines
                try skipBody()
                guard let headers else { return .skipped(line: line, reason: Self.noHeadersReason) }
                return .message(headers)
            }
        }
    }

    // MARK: - Scanning

    /// A UTF-8 byte order mark and blank lines before the first "From ".
    private func skipPreamble() throws {
        if try ensure(3), buffer[position..<position + 3].elementsEqual([0xEF, 0xBB, 0xBF]) { position += 3 }
        while try ensure(1), [0x0A, 0x0D, 0x20, 0x09].contains(buffer[position]) {
            if buffer[position] == 0x0A { lineNumber += 1 }
            position += 1
        }
    }

    /// Moves to the start of the next "From " line that follows a blank line (the header section's end counts), or
    /// to the end of the file. The buffered bytes are scanned by `MboxBodyScan`: nothing of a body is kept.
    private func skipBody() throws {
        var previousBlank = true
        while try ensure(1) {
            if previousBlank, try startsWithFrom() { return }
            let start = position
            let scan = buffer.withUnsafeBufferPointer { MboxBodyScan.scan($0, from: start) }
            position = scan.stop
            lineNumber += scan.lines
            previousBlank = scan.afterBlank
            // A line longer than what is buffered: read past it a chunk at a time.
            if scan.open { previousBlank = try consumeLine(storing: false) }
        }
    }

    /// Whether the line at `position` starts with "From " (reads ahead a few bytes when needed).
    private func startsWithFrom() throws -> Bool {
        let count = Self.fromPrefix.count
        guard try ensure(count) else { return false }
        return buffer[position..<position + count].elementsEqual(Self.fromPrefix)
    }

    /// Consumes one line through its LF (or to the end of the file), a chunk at a time however long it is, appending
    /// its bytes without the LF to `header` when `storing`. Returns whether the line was blank (empty or a lone CR).
    private func consumeLine(storing: Bool) throws -> Bool {
        var length = 0
        var firstByte: UInt8 = 0
        while true {
            if position == buffer.count {
                guard try fill() else { break }
            }
            let start = position
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) else {
                    return nil
                }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            let end = newline ?? buffer.count
            if length == 0, end > start { firstByte = buffer[start] }
            length += end - start
            if storing { header.append(contentsOf: buffer[start..<end]) }
            if let newline {
                position = newline + 1
                lineNumber += 1
                break
            }
            position = end
        }
        return length == 0 || (length == 1 && firstByte == 0x0D)
    }

    /// Whether `count` bytes are available from `position`, reading more of the file when needed.
    private func ensure(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            guard try fill() else { return false }
        }
        return true
    }

    /// Drops the bytes before `position` and appends the next chunk; `false` at the end of the file.
    private func fill() throws -> Bool {
        guard !endOfFile else { return false }
        let chunk = try source.read(upToCount: chunkSize)
        guard !chunk.isEmpty else {
            endOfFile = true
            return false
        }
        if position == buffer.count {
            // Nothing left to keep (the usual case: a body line runs past the chunk's end and has been passed):
            // the chunk becomes the buffer, without a copy.
            bufferOffset += Int64(position)
            buffer = chunk
            position = 0
            return true
        }
        if position > 0 {
            bufferOffset += Int64(position)
            buffer.removeSubrange(0..<position)
            position = 0
        }
        buffer.append(contentsOf: chunk)
        return true
    }
}
