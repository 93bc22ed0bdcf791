import Foundation
import LoamKit

/// Paths of `Tests/Fixtures/{zip,facebook,x}` and helpers to read zips and whole entries (tests only).
enum ArchiveFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ folder: String, _ name: String) -> String {
        fixtures.appendingPathComponent(folder).appendingPathComponent(name).path
    }

    static func zip(_ name: String) -> String { path("zip", name) }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func archive(_ name: String) throws -> ZipArchive { try ZipArchive(source: FileByteSource(path: zip(name))) }

    /// Reads a source to its end in pieces of `piece` bytes.
    static func readAll(_ source: any ImportByteSource, piece: Int = 10_000) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let more = try source.read(upToCount: piece)
            if more.isEmpty { return bytes }
            bytes += more
        }
    }

    static func contents(_ archive: ZipArchive, _ path: String) throws -> [UInt8] {
        guard let entry = archive.entry(path) else { throw ImportFileError.unreadable("no \(path) in the fixture") }
        return try readAll(archive.open(entry))
    }

    /// Writes `bytes` to a new file in a fresh temporary folder.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-social-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// A source that cannot seek and hands out small pieces, as an upload's sealed spool does: the zip reader
/// must rewind and read forward to reach an offset.
final class ForwardOnlySource: ImportByteSource {
    private let bytes: [UInt8]
    private let piece: Int
    private var position = 0
    private(set) var rewinds = 0
    var size: Int64 { Int64(bytes.count) }

    init(_ bytes: [UInt8], piece: Int = 1000) {
        self.bytes = bytes
        self.piece = piece
    }

    func read(upToCount count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + min(max(count, 0), piece))
        defer { position = end }
        return Array(bytes[position..<end])
    }

    func rewind() throws {
        rewinds += 1
        position = 0
    }
}

extension ContactItem {
    var socialRecord: ContactRecord? {
        if case .contact(let record) = self { return record }
        return nil
    }

    var socialSkippedLine: Int? {
        if case .skipped(let line, _) = self { return line }
        return nil
    }

    var socialSkippedReason: String? {
        if case .skipped(_, let reason) = self { return reason }
        return nil
    }
}
