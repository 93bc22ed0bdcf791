/// One zip entry's bytes, streamed from the archive: stored bytes as they are, deflated ones through
/// `Inflater`. The CRC-32 is checked once the declared size has been read, and inflating past the declared
/// size stops at once (by at most one chunk): a small entry that claims a few KB and inflates to gigabytes is a
/// zip bomb, and a reader should not be fed its output.
final class ZipEntrySource: ImportByteSource {
    let size: Int64
    private let head: ArchiveReadHead
    private let entry: ZipEntry
    private let dataStart: Int64
    /// The next compressed byte to fetch.
    private var offset: Int64
    private var inflater: Inflater?
    private var crc = CRC32()
    private var produced: Int64 = 0
    private var checked = false

    init(head: ArchiveReadHead, entry: ZipEntry, dataStart: Int64) {
        self.head = head
        self.entry = entry
        self.dataStart = dataStart
        size = entry.uncompressedSize
        offset = dataStart
        start()
    }

    private func start() {
        offset = dataStart
        crc = CRC32()
        produced = 0
        checked = false
        inflater =
            entry.method == .deflated
            ? Inflater(fetch: { [unowned self] in try fetchCompressed(Inflater.chunkSize) }) : nil
    }

    /// The entry's next compressed bytes, at most `count`; empty after its last.
    private func fetchCompressed(_ count: Int) throws -> [UInt8] {
        let left = dataStart + entry.compressedSize - offset
        guard left > 0 else { return [] }
        try head.seek(to: offset)
        let bytes = try head.read(upToCount: Int(min(Int64(count), left)))
        guard !bytes.isEmpty else { throw ZipError.truncated }
        offset += Int64(bytes.count)
        return bytes
    }

    func read(upToCount count: Int) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try inflater?.read(upToCount: count) ?? fetchCompressed(count)
        } catch let error as ImportFileError {
            if case .unreadable(let reason) = error, !reason.hasPrefix("the zip") {
                throw ZipError.entry(entry.path, "cannot be read: \(reason)")
            }
            throw error
        }
        produced += Int64(bytes.count)
        guard produced <= entry.uncompressedSize else {
            throw ZipError.entry(
                entry.path,
                "inflates past its declared size of \(entry.uncompressedSize) bytes (damaged, or a zip bomb)")
        }
        crc.update(bytes)
        if produced == entry.uncompressedSize, !checked {
            checked = true
            guard crc.value == entry.crc32 else {
                throw ZipError.entry(entry.path, "is damaged: its CRC-32 does not match")
            }
        }
        if bytes.isEmpty, produced < entry.uncompressedSize {
            throw ZipError.entry(entry.path, "ends after \(produced) of its \(entry.uncompressedSize) bytes")
        }
        return bytes
    }

    func rewind() throws { start() }
}
