import Foundation

/// Reads the accounts an X (Twitter) archive lists as followed and following: `data/following.js`,
/// `data/follower.js` and their `-partN.js` continuations (`ExportLocator` finds them through
/// `data/manifest.js`). Each file is JavaScript around a JSON list:
/// `window.YTD.following.part0 = [ {"following": {"accountId": "12", "userLink": "https://twitter.com/intent/user?user_id=12"}}, … ]`;
/// the `window.YTD.….partN = ` prefix is left out and the list streams, one entry in memory at a time.
///
/// Each entry is a record with `relationship` "following" or "follower" (from the entry's own key), the
/// account id as `.sourceID(service: "x", …)` and a user link that is a profile (not an `intent/user?user_id=` link) as `.profileURL`. The archive has no names or
/// handles. An account both followed and following is two records, one per file: the importer merges them
/// by the account id. An entry with neither an id nor a link is `.skipped` with its line (lines count within
/// each file); a file cut short throws `ImportFileError.truncated` after its whole entries.
public final class XFollowsReader: ContactListReader {
    public let totalBytes: Int64
    /// Bytes of all the files the reader has got past, for progress.
    public var bytesRead: Int64 { finishedBytes + (stream?.bytesRead ?? 0) }

    private var pending: [any ImportByteSource]
    private var stream: JSONStream?
    private var finishedBytes: Int64 = 0
    private var firstChunk: [UInt8]?

    /// Throws `ImportFileError.unreadable` when the file cannot be read, `.notThisFormat(expected: "x")` when it
    /// does not start as an X archive's following or follower file.
    public convenience init(path: String) throws {
        try self.init(sources: [FileByteSource(path: path)])
    }

    public convenience init(source: any ImportByteSource) throws {
        try self.init(sources: [source])
    }

    /// Reads the files one after the other, in the order given. The first is checked here; a later one that is
    /// not an X file throws `.notThisFormat(expected: "x")` when the reader reaches it.
    public init(sources: [any ImportByteSource]) throws {
        guard let first = sources.first else { throw ImportFileError.notThisFormat(expected: "x") }
        totalBytes = sources.reduce(0) { $0 + $1.size }
        pending = sources
        let chunk = try JSONExportText.firstBytes(of: first)
        guard Self.listStart(chunk) != nil else { throw ImportFileError.notThisFormat(expected: "x") }
        firstChunk = chunk
    }

    /// True when `prefix` (the first 4 KB are plenty) starts `window.YTD.following.partN = [` or the same for
    /// `follower`, after an optional BOM and whitespace.
    public static func looksLike(_ prefix: [UInt8]) -> Bool { listStart(prefix) != nil }

    /// The index of the `[` after the `window.YTD.following.partN = ` prefix.
    static func listStart(_ bytes: [UInt8]) -> Int? {
        let start = JSONExportText.skipBOMAndWhitespace(bytes)
        guard
            var index = JSONExportText.match("window.YTD.following.part", in: bytes, at: start)
                ?? JSONExportText.match("window.YTD.follower.part", in: bytes, at: start)
        else { return nil }
        let digits = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        guard index > digits else { return nil }
        index = JSONExportText.skipBOMAndWhitespace(bytes, from: index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
        index = JSONExportText.skipBOMAndWhitespace(bytes, from: index + 1)
        return index < bytes.count && bytes[index] == UInt8(ascii: "[") ? index : nil
    }

    /// The next account, or a `.skipped` entry; nil after the last file's end.
    public func next() throws -> ContactItem? {
        while true {
            if stream == nil {
                guard !pending.isEmpty else { return nil }
                try open(pending[0])
            }
            guard let stream else { continue }
            do {
                if let entry = try stream.nextEntry() { return Self.item(entry) }
                try stream.drain()
            } catch let failure as JSONStream.Failure {
                pending = []
                self.stream = nil
                throw JSONExportText.error(failure, stream: stream, format: "X archive")
            }
            finishedBytes += pending.removeFirst().size
            self.stream = nil
        }
    }

    private func open(_ source: any ImportByteSource) throws {
        let chunk = try firstChunk ?? JSONExportText.firstBytes(of: source)
        firstChunk = nil
        guard let start = Self.listStart(chunk) else {
            pending = []
            throw ImportFileError.notThisFormat(expected: "x")
        }
        let stream = JSONStream(source: source, firstChunk: chunk, start: start)
        guard try stream.next() == .arrayStart else { throw ImportFileError.notThisFormat(expected: "x") }
        self.stream = stream
    }

    static let relationships = ["following", "follower"]

    static func item(_ entry: JSONStream.Entry) -> ContactItem {
        switch entry {
        case .tooLarge(let line):
            return .skipped(line: line, reason: "an entry too large to be one account")
        case .value(let value, let line):
            guard let relationship = relationships.first(where: { value[$0] != nil }),
                let account = value[relationship],
                case .object = account
            else { return .skipped(line: line, reason: "an entry that is neither a following nor a follower") }
            let link = account["userLink"]?.string.map(JSONExportText.trimmed)
            var id = account["accountId"]?.text.map(JSONExportText.trimmed)
            if id == nil, let link,
                let query = URLComponents(string: link)?.queryItems?.first(where: { $0.name == "user_id" })
            {
                id = query.value
            }
            var record = ContactRecord(line: line, relationship: relationship)
            if let id, !id.isEmpty, id.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                record.identifiers.append(.sourceID(service: "x", value: id))
            }
            // The archive's `intent/user?user_id=…` link names the account only by its query, which profile URLs
            // do not keep: every account would share one "profile". The id already says it; a real profile link stays.
            if let link, !link.isEmpty, !JSONExportText.contains(link, ascii: "/intent/user") {
                record.identifiers.append(.profileURL(link))
            }
            guard !record.identifiers.isEmpty else {
                return .skipped(line: line, reason: "an account with no account id or link")
            }
            return .contact(record)
        }
    }
}
