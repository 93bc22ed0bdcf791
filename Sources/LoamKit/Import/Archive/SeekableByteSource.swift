/// A byte source that can jump to any offset: a zip is read from its end (the central directory) and then
/// at each entry's offset, so a reader of a file on disk should not reread it from the start for each jump.
public protocol SeekableByteSource: ImportByteSource {
    /// Moves to byte `offset` (0 through `size`); the next `read` starts there.
    func seek(to offset: Int64) throws
}

extension FileByteSource: SeekableByteSource {}
extension ByteArraySource: SeekableByteSource {}

/// The zip reader's view of its archive: one position in the source, moved by seeking when the source can
/// seek and otherwise by rewinding and reading forward (an upload's sealed spool decrypts in order), which costs
/// a pass over the bytes before the target but keeps every source usable.
final class ArchiveReadHead {
    let source: any ImportByteSource
    let size: Int64
    private(set) var position: Int64 = 0
    private let seekable: (any SeekableByteSource)?

    init(source: any ImportByteSource) throws {
        self.source = source
        size = source.size
        seekable = source as? any SeekableByteSource
        try source.rewind()
    }

    func seek(to offset: Int64) throws {
        guard offset != position else { return }
        guard offset >= 0, offset <= size else {
            throw ZipError.damaged("an offset of \(offset) in an archive of \(size) bytes")
        }
        if let seekable {
            try seekable.seek(to: offset)
            position = offset
            return
        }
        if offset < position {
            try source.rewind()
            position = 0
        }
        while position < offset {
            let skipped = try source.read(upToCount: Int(min(offset - position, 256 * 1024)))
            guard !skipped.isEmpty else { throw ZipError.truncated }
            position += Int64(skipped.count)
        }
    }

    /// At most `count` bytes from the position; fewer only at the end of the source.
    func read(upToCount count: Int) throws -> [UInt8] {
        var bytes = try source.read(upToCount: count)
        while bytes.count < count {
            let more = try source.read(upToCount: count - bytes.count)
            if more.isEmpty { break }
            bytes += more
        }
        position += Int64(bytes.count)
        return bytes
    }

    /// Exactly `count` bytes at `offset`, or `ZipError.truncated`.
    func read(_ count: Int, at offset: Int64) throws -> [UInt8] {
        try seek(to: offset)
        let bytes = try read(upToCount: count)
        guard bytes.count == count else { throw ZipError.truncated }
        return bytes
    }
}
