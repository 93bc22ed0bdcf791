/// A zip archive read from any `ImportByteSource`: its central directory (and the ZIP64 end records of an
/// archive over 4 GB or 65,535 entries) is read when it is opened, and each entry opens as a byte source that
/// streams it, stored or deflated, CRC-checked at its end. Nothing is extracted to disk. Not thread-safe; the
/// entry sources share the archive's position, so read them one after another.
public final class ZipArchive {
    /// The entries in central-directory order, folders included.
    public let entries: [ZipEntry]
    private let head: ArchiveReadHead

    /// A central directory larger than this is not an export Loam reads (Facebook's, with every photo, has
    /// some tens of thousands of entries: a few MB).
    static let centralDirectoryLimit: Int64 = 64 << 20

    /// True when `prefix` starts like a zip: a local file header, or the end record of an empty archive.
    public static func looksLike(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) || prefix.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// Throws `ImportFileError.notThisFormat(expected: "zip")` when the source has no zip end record, and
    /// `.unreadable` when the archive is damaged, cut short or split across several files.
    public init(source: any ImportByteSource) throws {
        head = try ArchiveReadHead(source: source)
        let end = try Self.findEndRecord(head)
        entries = try Self.readCentralDirectory(head, end)
    }

    /// The entry whose path is `path`, if any.
    public func entry(_ path: String) -> ZipEntry? { entries.first { $0.path == path } }

    /// A byte source that streams the entry's bytes (its `size` is the declared uncompressed size). Throws
    /// `ImportFileError.unreadable` for an encrypted entry, a method other than stored or deflate, a folder or a
    /// path outside the archive; reading it throws when the data is damaged, fails its CRC-32 or inflates past the
    /// declared size.
    public func open(_ entry: ZipEntry) throws -> any ImportByteSource {
        guard entry.hasSafePath else {
            throw ZipError.entry(entry.path, "points outside the archive and is not opened")
        }
        guard !entry.isDirectory else { throw ZipError.entry(entry.path, "is a folder") }
        guard !entry.isEncrypted else {
            throw ZipError.entry(entry.path, "is encrypted; export it again without a password")
        }
        if case .other(let number) = entry.method {
            throw ZipError.entry(
                entry.path, "is compressed with method \(number), which Loam does not read (only stored and deflate)")
        }
        let local = try head.read(30, at: entry.localHeaderOffset)
        guard local.uint32(at: 0) == 0x0403_4B50 else {
            throw ZipError.damaged("no local header where \(entry.path) should start")
        }
        let dataStart = entry.localHeaderOffset + 30 + Int64(local.uint16(at: 26)) + Int64(local.uint16(at: 28))
        // Subtracted, not added: a ZIP64 size may be near Int64.max, and the sum would trap.
        guard entry.compressedSize <= head.size - dataStart else { throw ZipError.truncated }
        return ZipEntrySource(head: head, entry: entry, dataStart: dataStart)
    }

    // MARK: End records

    struct EndRecord {
        var entryCount: Int64
        var directorySize: Int64
        var directoryOffset: Int64
    }

    private static func findEndRecord(_ head: ArchiveReadHead) throws -> EndRecord {
        // The end record is 22 bytes plus a comment of at most 65,535.
        let tailLength = Int(min(head.size, 22 + 65_535))
        guard tailLength >= 22 else {
            throw try head.size >= 4 && looksLike(head.read(4, at: 0))
                ? ZipError.truncated : ImportFileError.notThisFormat(expected: "zip")
        }
        let tailStart = head.size - Int64(tailLength)
        let tail = try head.read(tailLength, at: tailStart)
        var index = tailLength - 22
        while index >= 0 {
            if tail[index] == 0x50, tail.uint32(at: index) == 0x0605_4B50 { break }
            index -= 1
        }
        guard index >= 0 else {
            // A zip's first bytes without its end: a download that stopped.
            let start = try head.read(min(4, Int(head.size)), at: 0)
            throw looksLike(start) ? ZipError.truncated : ImportFileError.notThisFormat(expected: "zip")
        }
        let disk = tail.uint16(at: index + 4)
        let directoryDisk = tail.uint16(at: index + 6)
        var record = EndRecord(
            entryCount: Int64(tail.uint16(at: index + 10)), directorySize: Int64(tail.uint32(at: index + 12)),
            directoryOffset: Int64(tail.uint32(at: index + 16)))
        let recordOffset = tailStart + Int64(index)
        let needsZip64 =
            record.entryCount == 0xFFFF || record.directorySize == 0xFFFF_FFFF || record.directoryOffset == 0xFFFF_FFFF
        if recordOffset >= 20, let zip64 = try readZip64EndRecord(head, locatorAt: recordOffset - 20) {
            record = zip64
        } else if needsZip64 {
            throw ZipError.damaged("a ZIP64 archive without its ZIP64 end record")
        } else if disk != 0 || directoryDisk != 0 {
            throw ImportFileError.unreadable(
                "the zip archive is split across several files (.z01, .z02…); join them or export again as one zip")
        }
        guard record.directoryOffset >= 0, record.directorySize >= 0 else {
            throw ZipError.damaged("the central directory's place")
        }
        // A ZIP64 record's offset and size may each be near Int64.max (the fuzzer sent both): their sum would trap.
        let (directoryEnd, overflow) = record.directoryOffset.addingReportingOverflow(record.directorySize)
        guard !overflow else { throw ZipError.damaged("the central directory's size and offset") }
        guard directoryEnd <= recordOffset else {
            throw head.size < directoryEnd
                ? ZipError.truncated : ZipError.damaged("the central directory lies past the end record")
        }
        guard record.directorySize <= centralDirectoryLimit else {
            throw ZipError.damaged("a central directory of \(record.directorySize) bytes")
        }
        return record
    }

    private static func readZip64EndRecord(_ head: ArchiveReadHead, locatorAt offset: Int64) throws -> EndRecord? {
        let locator = try head.read(20, at: offset)
        guard locator.uint32(at: 0) == 0x0706_4B50 else { return nil }
        guard locator.uint32(at: 16) <= 1 else {
            throw ImportFileError.unreadable(
                "the zip archive is split across several files; join them or export again as one zip")
        }
        let recordOffset = Int64(bitPattern: locator.uint64(at: 8))
        guard recordOffset >= 0, recordOffset + 56 <= offset else {
            throw ZipError.damaged("the ZIP64 end record's offset")
        }
        let record = try head.read(56, at: recordOffset)
        guard record.uint32(at: 0) == 0x0606_4B50 else {
            throw ZipError.damaged("no ZIP64 end record where its locator points")
        }
        let values = [record.uint64(at: 32), record.uint64(at: 40), record.uint64(at: 48)]
        guard values.allSatisfy({ $0 <= UInt64(Int64.max) }) else {
            throw ZipError.damaged("a ZIP64 end record's sizes")
        }
        return EndRecord(
            entryCount: Int64(values[0]), directorySize: Int64(values[1]), directoryOffset: Int64(values[2]))
    }

    // MARK: Central directory

    private static func readCentralDirectory(_ head: ArchiveReadHead, _ end: EndRecord) throws -> [ZipEntry] {
        let directory = try head.read(Int(end.directorySize), at: end.directoryOffset)
        var entries: [ZipEntry] = []
        var index = 0
        while index + 46 <= directory.count, directory.uint32(at: index) == 0x0201_4B50 {
            let flags = directory.uint16(at: index + 8)
            let methodNumber = directory.uint16(at: index + 10)
            var compressed = Int64(directory.uint32(at: index + 20))
            var uncompressed = Int64(directory.uint32(at: index + 24))
            let nameLength = Int(directory.uint16(at: index + 28))
            let extraLength = Int(directory.uint16(at: index + 30))
            let commentLength = Int(directory.uint16(at: index + 32))
            var localOffset = Int64(directory.uint32(at: index + 42))
            let nameStart = index + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directory.count else { throw ZipError.damaged("an entry runs past the central directory") }
            // ZIP64: the fields set to all ones are in the 0x0001 extra field, in this order.
            var field = extraStart
            while field + 4 <= extraStart + extraLength {
                let id = directory.uint16(at: field)
                let size = Int(directory.uint16(at: field + 2))
                let body = field + 4
                guard body + size <= extraStart + extraLength else { break }
                if id == 0x0001 {
                    var position = body
                    func take() throws -> Int64 {
                        guard position + 8 <= body + size else {
                            throw ZipError.damaged("a ZIP64 extra field too short for its sizes")
                        }
                        defer { position += 8 }
                        let value = directory.uint64(at: position)
                        guard value <= UInt64(Int64.max) else { throw ZipError.damaged("a ZIP64 size") }
                        return Int64(value)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try take() }
                    if compressed == 0xFFFF_FFFF { compressed = try take() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try take() }
                }
                field = body + size
            }
            let name = ZipName.decode(directory[nameStart..<extraStart], declaredUTF8: flags & 0x0800 != 0)
            let method: ZipEntry.Method =
                switch methodNumber {
                case 0: .stored
                case 8: .deflated
                default: .other(methodNumber)
                }
            entries.append(
                ZipEntry(
                    path: name, method: method, compressedSize: compressed, uncompressedSize: uncompressed,
                    crc32: directory.uint32(at: index + 16), isEncrypted: flags & 0x0041 != 0 || methodNumber == 99,
                    localHeaderOffset: localOffset))
            index = next
        }
        guard Int64(entries.count) == end.entryCount || end.entryCount == 0xFFFF else {
            throw ZipError.damaged(
                "the central directory lists \(entries.count) entries, its end record \(end.entryCount)")
        }
        return entries
    }
}

extension [UInt8] {
    func uint16(at index: Int) -> UInt16 { UInt16(self[index]) | UInt16(self[index + 1]) << 8 }

    func uint32(at index: Int) -> UInt32 {
        UInt32(self[index]) | UInt32(self[index + 1]) << 8 | UInt32(self[index + 2]) << 16 | UInt32(self[index + 3])
            << 24
    }

    func uint64(at index: Int) -> UInt64 { UInt64(uint32(at: index)) | UInt64(uint32(at: index + 4)) << 32 }
}
