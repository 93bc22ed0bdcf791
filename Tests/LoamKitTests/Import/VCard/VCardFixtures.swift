import Foundation
import LoamKit

/// Paths of `Tests/Fixtures/vcard/` and small helpers to read them whole (tests only; the reader streams).
enum VCardFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/vcard")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func items(atPath path: String) throws -> [VCardItem] {
        let reader = try VCardReader(path: path)
        var items: [VCardItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func items(_ name: String) throws -> [VCardItem] { try items(atPath: path(name)) }

    static func cards(_ name: String) throws -> [VCardRecord] { try items(name).compactMap(\.card) }

    /// Writes `bytes` to a new file in a fresh temporary folder.
    static func temporaryFile(_ bytes: [UInt8], name: String = "cards.vcf") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-vcard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporaryFile(_ text: String, name: String = "cards.vcf") throws -> String {
        try temporaryFile(Array(text.utf8), name: name)
    }
}

extension VCardItem {
    var card: VCardRecord? {
        if case .card(let record) = self { return record }
        return nil
    }

    var skippedLine: Int? {
        if case .skipped(let line, _) = self { return line }
        return nil
    }

    var skippedReason: String? {
        if case .skipped(_, let reason) = self { return reason }
        return nil
    }
}
