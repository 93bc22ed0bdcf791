import Foundation
import LoamKit
import Testing

@Suite("Zip archive: listing, quirks of the tools that write zips, damage and attacks")
struct ZipArchiveTests {
    typealias F = ArchiveFixtures

    @Test("Entries list path, sizes and method in central-directory order")
    func listing() throws {
        let archive = try F.archive("inflate-levels.zip")
        #expect(archive.entries.first?.path == "stored/empty.bin")
        let text = try #require(archive.entry("level6/text-40k.txt"))
        #expect(text.method == .deflated)
        #expect(text.uncompressedSize == 40_000)
        #expect(text.compressedSize < 20_000)
        #expect(!text.isEncrypted && text.hasSafePath && !text.isDirectory)
        #expect(archive.entry("stored/text-1k.txt")?.method == .stored)
    }

    @Test("Data descriptors (streamed zips, sizes only after the data) read by the central directory")
    func dataDescriptor() throws {
        let archive = try F.archive("data-descriptor.zip")
        #expect(archive.entries.map(\.path) == ["streamed/text-40k.txt", "streamed/one-byte.txt"])
        #expect(try F.contents(archive, "streamed/text-40k.txt").count == 40_000)
        #expect(try F.contents(archive, "streamed/one-byte.txt") == Array("x".utf8))
    }

    @Test("ZIP64: sizes and offsets from the 0x0001 extra field, counts from the ZIP64 end record")
    func zip64() throws {
        let archive = try F.archive("zip64.zip")
        #expect(archive.entries.map(\.path) == ["big/text-40k.txt", "big/one-byte.txt"])
        #expect(archive.entries.map(\.uncompressedSize) == [40_000, 1])
        let reference = try F.contents(F.archive("inflate-levels.zip"), "stored/text-40k.txt")
        #expect(try F.contents(archive, "big/text-40k.txt") == reference)
        #expect(try F.contents(archive, "big/one-byte.txt") == Array("x".utf8))
    }

    @Test("Names: CP 437 without the UTF-8 flag, UTF-8 with it or without, backslashes as slashes, folders")
    func names() throws {
        let archive = try F.archive("names.zip")
        #expect(archive.entries.map(\.path) == ["café.txt", "Zoë.txt", "Renée.txt", "folder/file.txt", "folder/"])
        #expect(try F.contents(archive, "folder/file.txt") == Array("backslash".utf8))
        let folder = try #require(archive.entry("folder/"))
        #expect(folder.isDirectory)
        #expect(throws: ImportFileError.self) { try archive.open(folder) }
    }

    @Test("An archive comment of 60,000 bytes: the end record is still found")
    func longComment() throws {
        let archive = try F.archive("long-comment.zip")
        #expect(try F.contents(archive, "commented.txt").count == 1000)
    }

    @Test("A source that cannot seek (an upload's spool) reads the same entries by rewinding and reading forward")
    func forwardOnly() throws {
        let bytes = try F.bytes(F.zip("inflate-levels.zip"))
        let source = ForwardOnlySource(bytes, piece: 4096)
        let archive = try ZipArchive(source: source)
        let seekable = try F.archive("inflate-levels.zip")
        for path in ["level9/text-150k.txt", "stored/text-1k.txt", "level1/random-12k.bin"] {
            #expect(try F.contents(archive, path) == (try F.contents(seekable, path)))
        }
        #expect(source.rewinds >= 2)
    }

    @Test("A wrong CRC-32 is an error once the entry is read, deflated or stored")
    func badCRC() throws {
        for (name, path) in [("bad-crc.zip", "text-40k.txt"), ("bad-crc-stored.zip", "text-1k.txt")] {
            let archive = try F.archive(name)
            let source = try archive.open(try #require(archive.entry(path)))
            let error = try #require(throws: ImportFileError.self) { try F.readAll(source) }
            #expect(error.description.contains("CRC-32"), "\(name)")
        }
    }

    @Test("A zip cut short (no end record) says so; a file that is no zip is notThisFormat")
    func truncatedAndForeign() throws {
        let error = try #require(throws: ImportFileError.self) { try F.archive("truncated.zip") }
        #expect(error.description.contains("cut short"))
        for bytes: [UInt8] in [Array("not a zip at all".utf8), [], Array(repeating: 0, count: 100_000), [0x50, 0x4B]] {
            #expect(throws: ImportFileError.notThisFormat(expected: "zip")) {
                try ZipArchive(source: ByteArraySource(bytes))
            }
        }
        let cut = try #require(throws: ImportFileError.self) {
            try ZipArchive(source: ByteArraySource([0x50, 0x4B, 0x03, 0x04, 0x14, 0]))
        }
        #expect(cut.description.contains("cut short"))
    }

    @Test(
        "Damaged deflate data: a reserved block type, an over-subscribed code, a match before the start, a cut stream")
    func damagedDeflate() throws {
        let cases = [
            ("bad-block-type.zip", "reserved"), ("bad-huffman.zip", "prefix code"),
            ("bad-huffman-incomplete.zip", "prefix code"), ("bad-distance.zip", "before the first byte"),
            ("cut-stream.zip", "text-40k.txt"),
        ]
        for (name, words) in cases {
            let archive = try F.archive(name)
            let source = try archive.open(try #require(archive.entries.first))
            let error = try #require(throws: ImportFileError.self) { try F.readAll(source) }
            #expect(error.description.contains(words), "\(name): \(error)")
        }
    }

    @Test("A zip bomb (10 MB of zeros declared as 1,000 bytes) stops within one chunk of the declared size")
    func bomb() throws {
        let archive = try F.archive("bomb.zip")
        let source = try archive.open(try #require(archive.entry("friends.json")))
        #expect(source.size == 1000)
        var read = 0
        let error = try #require(throws: ImportFileError.self) {
            while true {
                let bytes = try source.read(upToCount: 4096)
                if bytes.isEmpty { break }
                read += bytes.count
            }
        }
        #expect(error.description.contains("declared size"))
        #expect(read <= 1000)
    }

    @Test("Paths with .., absolute paths and drive letters are listed as unsafe and never opened")
    func unsafePaths() throws {
        let archive = try F.archive("dotdot.zip")
        #expect(archive.entries.map(\.hasSafePath) == [false, false, false, true])
        for entry in archive.entries.prefix(3) {
            let error = try #require(throws: ImportFileError.self) { try archive.open(entry) }
            #expect(error.description.contains("outside the archive"))
        }
        #expect(try F.contents(archive, "safe/readme.txt") == Array("ok".utf8))
    }

    @Test("Encrypted entries and methods other than stored and deflate are refused by name; the rest opens")
    func unsupported() throws {
        let archive = try F.archive("unsupported.zip")
        let expected = ["encrypted.txt": "encrypted", "aes.txt": "encrypted", "bzip2.txt": "method 12"]
        for (path, words) in expected {
            let error = try #require(throws: ImportFileError.self) {
                try archive.open(try #require(archive.entry(path)))
            }
            #expect(error.description.contains(words), "\(path)")
        }
        #expect(try F.contents(archive, "plain.txt") == Array("plain".utf8))
    }

    @Test("An archive split across disks is refused with what to do")
    func split() throws {
        let error = try #require(throws: ImportFileError.self) { try F.archive("split.zip") }
        #expect(error.description.contains("split"))
    }

    @Test("Random damage to a zip throws ImportFileError or reads; it never crashes or hangs")
    func randomDamage() throws {
        let original = try F.bytes(F.zip("data-descriptor.zip"))
        var generator = SplitMix64(seed: 10)
        for round in 0..<200 {
            var bytes = original
            for _ in 0..<(1 + round % 8) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                let archive = try ZipArchive(source: ByteArraySource(bytes))
                for entry in archive.entries { _ = try? F.readAll(archive.open(entry)) }
            } catch is ImportFileError {}
        }
    }
}

/// A seeded generator, so a failing round of random damage can be run again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
