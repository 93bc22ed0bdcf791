import Foundation

@testable import LoamKit

/// Temporary mbox files for the reader tests, removed when the value goes.
final class MboxTempFile {
    let folder: URL
    let path: String

    init(_ bytes: [UInt8], name: String = "test.mbox") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-mbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    convenience init(_ text: String) throws { try self.init(Array(text.utf8)) }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

enum MboxFixtures {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/mbox/\(name)").path
    }
}

func readAll(_ reader: MboxReader) throws -> [MboxItem] {
    var items: [MboxItem] = []
    while let item = try reader.next() { items.append(item) }
    return items
}

func readAll(path: String, chunkSize: Int? = nil) throws -> [MboxItem] {
    let reader = try chunkSize.map { try MboxReader(path: path, chunkSize: $0) } ?? MboxReader(path: path)
    return try readAll(reader)
}

func messages(_ items: [MboxItem]) -> [MailHeaders] {
    items.compactMap { if case .message(let headers) = $0 { headers } else { nil } }
}

func skips(_ items: [MboxItem]) -> [(line: Int, reason: String)] {
    items.compactMap { if case .skipped(let line, let reason) = $0 { (line, reason) } else { nil } }
}

/// The headers of a one-message mbox whose header section is `lines` (joined with LF).
func parseHeaders(_ lines: String...) throws -> MailHeaders? {
    try parseHeaders(bytes: Array(lines.joined(separator: "\n").utf8))
}

func parseHeaders(bytes: [UInt8]) throws -> MailHeaders? {
    let file = try MboxTempFile(
        Array("From sender@example.com Mon Jan  1 00:00:00 2024\n".utf8) + bytes + Array("\n\nBody\n".utf8))
    return messages(try readAll(path: file.path)).first
}

/// Every string a parsed message holds, for checking that none came from a body.
func allText(_ headers: MailHeaders) -> [String] {
    let addresses = headers.from + headers.to + headers.cc + headers.bcc + headers.replyTo + headers.sender
    return addresses.flatMap { [$0.address, $0.name ?? ""] }
        + [
            headers.subject, headers.messageID, headers.inReplyTo, headers.listID, headers.listUnsubscribe,
            headers.precedence,
        ].compactMap { $0 }
        + headers.references + headers.gmailLabels
}
