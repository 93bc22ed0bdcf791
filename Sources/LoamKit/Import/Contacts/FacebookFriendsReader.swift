import Foundation

/// Reads the friends list of Facebook's "Download Your Information" in JSON (`connections/friends/your_friends.json`
/// of current exports, `friends_and_followers/friends.json` or `friends/friends.json` of older ones):
/// `{"friends_v2": [{"name": "…", "timestamp": 1700000000}, …]}`, or `"friends"` for the key in older exports.
/// Streams: memory is one chunk and one entry, whatever the number of friends.
///
/// Each friend is a record with `relationship` "friend", the name repaired of Facebook's mojibake (see
/// `JSONExportText.repairingMojibake`) and `connectedAt` from the Unix-second timestamp (0 or absent: unknown).
/// Facebook gives no profile link or id for a friend, only the name. An entry with no name, or one that is
/// not an object, is `.skipped` with its line; a file cut short gives every whole entry, then throws
/// `ImportFileError.truncated` with the line of the cut entry; a file that is not JSON past its start throws
/// `.unreadable` naming the line.
public final class FacebookFriendsReader: ContactListReader {
    public let totalBytes: Int64
    /// How far into the file the reader has got, for progress.
    public var bytesRead: Int64 { stream.bytesRead }

    private let stream: JSONStream
    private var state = State.start

    private enum State { case start, keys, list, finished }

    /// The keys whose value is the friends list, newest first.
    static let listKeys: Set<String> = ["friends_v2", "friends"]

    /// Throws `ImportFileError.unreadable` when the file cannot be read, `.notThisFormat(expected: "facebook")`
    /// when it does not start as a Facebook friends list.
    public convenience init(path: String) throws {
        try self.init(source: FileByteSource(path: path))
    }

    public init(source: any ImportByteSource) throws {
        totalBytes = source.size
        let first = try JSONExportText.firstBytes(of: source)
        guard Self.looksLike(first) else { throw ImportFileError.notThisFormat(expected: "facebook") }
        stream = JSONStream(source: source, firstChunk: first, start: JSONExportText.skipBOMAndWhitespace(first))
    }

    /// True when `prefix` (the first 4 KB are plenty) is a JSON object whose first key is `friends_v2` or
    /// `friends`, after an optional BOM and whitespace.
    public static func looksLike(_ prefix: [UInt8]) -> Bool {
        var index = JSONExportText.skipBOMAndWhitespace(prefix)
        guard index < prefix.count, prefix[index] == UInt8(ascii: "{") else { return false }
        index = JSONExportText.skipBOMAndWhitespace(prefix, from: index + 1)
        guard
            let after = JSONExportText.match("\"friends_v2\"", in: prefix, at: index)
                ?? JSONExportText.match("\"friends\"", in: prefix, at: index)
        else { return false }
        index = JSONExportText.skipBOMAndWhitespace(prefix, from: after)
        return index < prefix.count && prefix[index] == UInt8(ascii: ":")
    }

    /// The next friend, or a `.skipped` entry; nil at the end of the file.
    public func next() throws -> ContactItem? {
        do {
            while true {
                switch state {
                case .finished:
                    return nil
                case .start:
                    guard try stream.next() == .objectStart else {
                        throw ImportFileError.notThisFormat(expected: "facebook")
                    }
                    state = .keys
                case .keys:
                    switch try stream.next() {
                    case .key(let key) where Self.listKeys.contains(key):
                        let value = try stream.next()
                        guard value == .arrayStart else {
                            throw ImportFileError.unreadable(
                                "line \(stream.eventLine): \"\(key)\" is not a list; is this a Facebook friends export?"
                            )
                        }
                        state = .list
                    case .key:
                        try stream.skipValue()
                    default:
                        // The object's end: the rest is at most whitespace.
                        try stream.drain()
                        state = .finished
                    }
                case .list:
                    guard let entry = try stream.nextEntry() else {
                        state = .keys
                        continue
                    }
                    return Self.item(entry)
                }
            }
        } catch let failure as JSONStream.Failure {
            state = .finished
            throw JSONExportText.error(failure, stream: stream, format: "Facebook")
        } catch {
            state = .finished
            throw error
        }
    }

    static func item(_ entry: JSONStream.Entry) -> ContactItem {
        switch entry {
        case .tooLarge(let line):
            return .skipped(line: line, reason: "an entry too large to be one friend")
        case .value(let value, let line):
            guard case .object = value else { return .skipped(line: line, reason: "an entry that is not an object") }
            let name = value["name"]?.string.map { JSONExportText.trimmed(JSONExportText.repairingMojibake($0)) }
            guard let name, !name.isEmpty else { return .skipped(line: line, reason: "a friend with no name") }
            var record = ContactRecord(line: line, name: name, relationship: "friend")
            if let seconds = value["timestamp"]?.number, seconds > 0, seconds < 1e11 {
                record.connectedAt = Date(timeIntervalSince1970: seconds)
            }
            return .contact(record)
        }
    }
}
