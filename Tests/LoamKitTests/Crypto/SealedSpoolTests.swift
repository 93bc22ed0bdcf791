import Foundation
import Testing

@testable import LoamKit

@Suite("SealedSpool: an upload kept on disk only sealed")
struct SealedSpoolTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func write(_ bytes: [UInt8], key: [UInt8], pieces: Int = 7) throws -> String {
        let path = folder + "/\(UUID().uuidString).spool"
        let writer = try SealedSpool.Writer(path: path, key: key)
        // Arrives in uneven pieces, as request bodies do.
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + max(1, bytes.count / pieces + 13))
            try writer.append(bytes[index..<end])
            index = end
        }
        try writer.finish()
        return path
    }

    func readAll(_ path: String, key: [UInt8], size: Int64) throws -> [UInt8] {
        let reader = try SealedSpool.Reader(path: path, key: key, size: size)
        var result: [UInt8] = []
        while true {
            let chunk = try reader.read(upToCount: 10_000)
            if chunk.isEmpty { return result }
            result += chunk
        }
    }

    @Test(
        "what goes in comes out, at every size around a chunk edge", arguments: [0, 1, 65_535, 65_536, 65_537, 300_000])
    func roundTrip(size: Int) throws {
        let key = SealedSpool.generateKey()
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = try write(bytes, key: key)
        #expect(try readAll(path, key: key, size: Int64(size)) == bytes)
    }

    @Test("the file on disk holds none of the upload's text")
    func noPlaintextOnDisk() throws {
        let key = SealedSpool.generateKey()
        let marker = "Subject: MARKER-7f3a-quarterly-numbers"
        let bytes = Array(String(repeating: marker + "\n", count: 5_000).utf8)
        let path = try write(bytes, key: key)
        let disk = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(disk.range(of: Data("MARKER-7f3a".utf8)) == nil)
        #expect(disk.count > bytes.count)
    }

    @Test("a changed byte, a missing last chunk, swapped chunks or another key do not open")
    func tamperingFails() throws {
        let key = SealedSpool.generateKey()
        let bytes = [UInt8](repeating: 0x41, count: 3 * SealedSpool.chunkSize + 100)
        let path = try write(bytes, key: key)
        let disk = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let record = 4 + SealedSpool.chunkSize + 16

        func fails(_ damaged: [UInt8], key: [UInt8] = key) throws {
            let damagedPath = folder + "/\(UUID().uuidString)"
            FileManager.default.createFile(atPath: damagedPath, contents: Data(damaged))
            #expect(throws: ImportFileError.self) { try readAll(damagedPath, key: key, size: Int64(bytes.count)) }
        }
        var flipped = disk
        flipped[record + 100] ^= 0x01
        try fails(flipped)
        try fails(Array(disk.prefix(3 * record)))  // cut after a whole chunk: the end is missing
        try fails(Array(disk[record..<(2 * record)] + disk[0..<record] + disk[(2 * record)...]))
        try fails(disk, key: SealedSpool.generateKey())
    }

    @Test("rewind reads it again from the first byte")
    func rewind() throws {
        let key = SealedSpool.generateKey()
        let bytes = Array("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8)
        let path = try write(bytes, key: key)
        let reader = try SealedSpool.Reader(path: path, key: key, size: Int64(bytes.count))
        #expect(try reader.read(upToCount: 5) == Array("BEGIN".utf8))
        try reader.rewind()
        #expect(try reader.read(upToCount: 100) == bytes)
    }

    @Test("an mbox reader reads a sealed spool like a file")
    func mboxFromSpool() throws {
        let key = SealedSpool.generateKey()
        let mbox = "From a@example.com Mon Jan  5 10:00:00 2026\nFrom: Dana <dana@example.com>\nSubject: hi\n\nbody\n"
        let path = try write(Array(mbox.utf8), key: key)
        let reader = try MboxReader(source: SealedSpool.Reader(path: path, key: key, size: Int64(mbox.utf8.count)))
        guard case .message(let headers) = try reader.next() else {
            Issue.record("no message read from the spool")
            return
        }
        #expect(headers.from.first?.address == "dana@example.com")
        #expect(try reader.next() == nil)
    }
}
