import Foundation
import LoamKit

/// Paths of `Tests/Fixtures/csv/` and helpers to read a contacts CSV whole (tests only; the readers stream).
enum CSVFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/csv")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// The three readers behind one shape, so damage tests run over each.
    enum Flavour: String, CaseIterable {
        case linkedin
        case google = "google-csv"
        case outlook = "outlook-csv"

        func reader(_ source: any ImportByteSource) throws -> (
            next: () throws -> ContactItem?, bytesRead: () -> Int64, totalBytes: Int64
        ) {
            switch self {
            case .linkedin:
                let reader = try LinkedInConnectionsReader(source: source)
                return (reader.next, { reader.bytesRead }, reader.totalBytes)
            case .google:
                let reader = try GoogleContactsCSVReader(source: source)
                return (reader.next, { reader.bytesRead }, reader.totalBytes)
            case .outlook:
                let reader = try OutlookContactsCSVReader(source: source)
                return (reader.next, { reader.bytesRead }, reader.totalBytes)
            }
        }

        func looksLike(_ prefix: [UInt8]) -> Bool {
            switch self {
            case .linkedin: LinkedInConnectionsReader.looksLike(prefix)
            case .google: GoogleContactsCSVReader.looksLike(prefix)
            case .outlook: OutlookContactsCSVReader.looksLike(prefix)
            }
        }
    }

    static func items(_ flavour: Flavour, bytes: [UInt8]) throws -> [ContactItem] {
        let reader = try flavour.reader(ByteArraySource(bytes))
        var items: [ContactItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func items(_ flavour: Flavour, _ name: String) throws -> [ContactItem] {
        try items(flavour, bytes: bytes(name))
    }

    static func items(_ flavour: Flavour, text: String) throws -> [ContactItem] {
        try items(flavour, bytes: Array(text.utf8))
    }

    static func contacts(_ flavour: Flavour, _ name: String) throws -> [ContactRecord] {
        try items(flavour, name).compactMap(\.csvContact)
    }

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }
}

/// Bytes in memory handed out at most `chunk` at a time, so rows, quotes and line breaks fall across chunk ends.
final class TrickleSource: ImportByteSource {
    private let bytes: [UInt8]
    private let chunk: Int
    private var position = 0
    var size: Int64 { Int64(bytes.count) }

    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(upToCount count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + min(count, chunk))
        defer { position = end }
        return Array(bytes[position..<end])
    }

    func rewind() throws { position = 0 }
}

extension ContactItem {
    var csvContact: ContactRecord? {
        if case .contact(let record) = self { return record }
        return nil
    }

    var csvSkippedLine: Int? {
        if case .skipped(let line, _) = self { return line }
        return nil
    }

    var csvSkippedReason: String? {
        if case .skipped(_, let reason) = self { return reason }
        return nil
    }
}

extension ContactRecord {
    var csvEmails: [String] { identifiers.compactMap { if case .email(let value) = $0 { value } else { nil } } }
    var csvPhones: [String] { identifiers.compactMap { if case .phone(let value) = $0 { value } else { nil } } }
    var csvProfileURLs: [String] {
        identifiers.compactMap { if case .profileURL(let value) = $0 { value } else { nil } }
    }
}
