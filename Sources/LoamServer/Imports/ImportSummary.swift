import Foundation

/// What one import of one file added or changed, as `loam import --json` prints it (one line a file).
public struct ImportSummary: Codable, Sendable {
    public struct Skipped: Codable, Sendable {
        public var line: Int?
        public var record: Int?
        public var reason: String
    }

    public var file: String
    public var format: String
    public var peopleCreated = 0
    public var peopleUpdated = 0
    public var identities = 0
    public var interactions = 0
    /// Messages that were bulk mail or chat: they create no people.
    public var ignored = 0
    /// Messages with no readable Date header, dated from their mbox envelope ("From " line) or, failing that, their
    /// newest Received header, instead of being skipped.
    public var datedFromEnvelope = 0
    public var datedFromReceived = 0
    public var skipped: [Skipped] = []

    /// The line `--json` prints: snake_case keys, as every Loam API.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
