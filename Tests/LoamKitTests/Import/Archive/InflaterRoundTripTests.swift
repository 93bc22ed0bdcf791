import Foundation
import Testing

@testable import LoamKit

/// The inflater against deflate streams CPython's zlib wrote (Tests/Fixtures/zip/make_fixtures.py): every
/// compression level, strategy and window size, sizes from empty to 150 KB (several output chunks and window
/// slides). Each entry's CRC-32 and size, from the zip's central directory, are checked by the reader itself.
@Suite("Inflater: round trip against zlib's streams")
struct InflaterRoundTripTests {
    typealias F = ArchiveFixtures

    static let names = [
        "empty.bin", "one-byte.txt", "text-1k.txt", "text-40k.txt", "text-150k.txt", "runs-100k.bin", "random-12k.bin",
    ]

    @Test("Levels 0, 1, 6 and 9 inflate to the same bytes as the stored copy, for every size", arguments: names)
    func levels(name: String) throws {
        let archive = try F.archive("inflate-levels.zip")
        let expected = try archive.entry("stored/\(name)").map { try F.readAll(archive.open($0)) }
        var outputs: [[UInt8]] = []
        for level in [0, 1, 6, 9] {
            guard let entry = archive.entry("level\(level)/\(name)") else { continue }
            #expect(entry.method == .deflated)
            let bytes = try F.readAll(archive.open(entry), piece: 7_919)
            #expect(Int64(bytes.count) == entry.uncompressedSize)
            #expect(CRC32.checksum(bytes) == entry.crc32)
            outputs.append(bytes)
        }
        #expect(outputs.count >= 3)
        #expect(Set(outputs).count == 1)
        if let expected { #expect(outputs.first == expected) }
    }

    @Test("Fixed Huffman, Huffman-only, RLE, a 512-byte window and sync flushes (empty stored blocks) all inflate")
    func strategies() throws {
        let archive = try F.archive("inflate-strategies.zip")
        let reference = try F.archive("inflate-levels.zip")
        #expect(archive.entries.count == 11)
        for entry in archive.entries {
            let name = (entry.path as NSString).lastPathComponent
            let bytes = try F.readAll(archive.open(entry), piece: 65_536)
            #expect(bytes == (try F.contents(reference, "level9/\(name)")), "\(entry.path)")
        }
    }

    @Test("Reading in pieces of 1 byte or 1 MB gives the same bytes; no read hands out more than one chunk")
    func pieces() throws {
        let archive = try F.archive("inflate-levels.zip")
        let entry = try #require(archive.entry("level6/text-150k.txt"))
        let source = try archive.open(entry)
        let whole = try F.readAll(source, piece: 1 << 20)
        try source.rewind()
        var small: [UInt8] = []
        var largest = 0
        while small.count < 5_000 {
            let byte = try source.read(upToCount: 1)
            largest = max(largest, byte.count)
            small += byte
        }
        #expect(largest == 1)
        #expect(small == Array(whole.prefix(5_000)))
        try source.rewind()
        var largestChunk = 0
        while true {
            let chunk = try source.read(upToCount: 1 << 20)
            if chunk.isEmpty { break }
            largestChunk = max(largestChunk, chunk.count)
        }
        // A match may run up to 257 bytes past the chunk before decoding stops.
        #expect(largestChunk <= Inflater.chunkSize + 257)
        #expect(whole.count == 150_000)
    }

    @Test("The raw stream cut anywhere ends too soon, never with wrong bytes handed out as whole")
    func cutStreams() throws {
        let archive = try F.archive("inflate-levels.zip")
        let entry = try #require(archive.entry("level9/text-40k.txt"))
        let raw = try Self.rawStream(of: entry, in: "inflate-levels.zip")
        let whole = try F.readAll(archive.open(entry))
        for cut in [0, 1, 2, raw.count / 3, raw.count / 2, raw.count - 1] {
            let inflater = Self.inflater(Array(raw.prefix(cut)))
            var out: [UInt8] = []
            #expect(throws: Inflater.truncated) {
                while true {
                    let bytes = try inflater.read(upToCount: 4096)
                    if bytes.isEmpty { break }
                    out += bytes
                }
            }
            #expect(whole.starts(with: out))
        }
    }

    @Test("CRC-32 matches the standard check value and zlib's for a fixture")
    func crc() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        var pieces = CRC32()
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        pieces.update(Array(text.prefix(5)))
        pieces.update(Array(text.dropFirst(5)))
        #expect(pieces.value == 0x414F_A339)
    }

    // MARK: Helpers

    static func inflater(_ bytes: [UInt8]) -> Inflater {
        var fed = false
        return Inflater {
            defer { fed = true }
            return fed ? [] : bytes
        }
    }

    /// The compressed bytes of an entry, read from its local header (the fixtures have no data descriptors).
    static func rawStream(of entry: ZipEntry, in name: String) throws -> [UInt8] {
        let bytes = try ArchiveFixtures.bytes(ArchiveFixtures.zip(name))
        let offset = Int(entry.localHeaderOffset)
        let start = offset + 30 + Int(bytes.uint16(at: offset + 26)) + Int(bytes.uint16(at: offset + 28))
        return Array(bytes[start..<start + Int(entry.compressedSize)])
    }
}
