import Foundation
import Testing

/// Runs `scripts/peer_parse.py` under the Python of `scripts/python_peers.sh` (`LOAM_PEERS_PYTHON`) and keeps the
/// tally of one format's comparison: which fields of which records agree, and how the others differ.
enum PeerParse {
    static let python = ProcessInfo.processInfo.environment["LOAM_PEERS_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    /// Symbolic links resolved: a package that links this repository's Tests folder finds its scripts too.
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture files of `Tests/Fixtures/<folder>` whose name ends in `.<suffix>`, in name order.
    static func fixtures(_ folder: String, suffix: String) throws -> [String] {
        let url = repository.appendingPathComponent("Tests/Fixtures/\(folder)")
        return try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".\(suffix)") }.sorted().map { url.appendingPathComponent($0).path }
    }

    /// What the peers find in `files`, decoded; `arguments` go before the files (`--now …`).
    static func run<Record: Decodable>(
        _ format: String, _ files: [String], arguments: [String] = [], as record: Record.Type
    ) throws -> PeerOutput<Record> {
        let python = try #require(python, "LOAM_PEERS_PYTHON is not set")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [repository.appendingPathComponent("scripts/peer_parse.py").path, format] + arguments + files
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "peer_parse.py \(format) exited with \(process.terminationStatus)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(PeerOutput<Record>.self, from: data)
    }
}

struct PeerOutput<Record: Decodable>: Decodable {
    /// Which Python library answered, for the report.
    var peer: String
    var files: [PeerFile<Record>]

    /// The peer's answer for the fixture at `path`.
    func file(_ path: String) -> PeerFile<Record>? { files.first { $0.file == path } }
}

/// One fixture as the peer read it: the records it read, and why it gave up on the file when it did.
struct PeerFile<Record: Decodable>: Decodable {
    var file: String
    var records: [Record]
    var error: String?
}

/// A known disagreement: where it is, which side is right, and why. A disagreement that is not in the test's list
/// fails the test, and so does an entry that no longer matches anything (the list must stay true).
struct KnownDisagreement: Sendable {
    enum Right: String, Sendable {
        case loam = "Loam is right"
        case peer = "the peer is right"
        case both = "both are defensible"
    }

    var fixture: String
    /// As in the report: `line 16`, `card 1`, `event UID`, or `file` for the file as a whole.
    var record: String
    var field: String
    var right: Right
    var why: String

    func matches(_ disagreement: PeerDisagreement) -> Bool {
        disagreement.fixture == fixture && disagreement.record == record && disagreement.field == field
    }
}

struct PeerDisagreement: Sendable {
    var fixture: String
    var record: String
    var field: String
    var loam: String
    var peer: String
}

/// One format's tally. Only fields that hold something on at least one side are counted: two empty Bcc lists
/// agreeing says nothing about either parser.
struct PeerAgreementReport {
    var format: String
    var peer: String
    var fixtures = 0
    /// Fixtures the peer read to the end without an error.
    var fixturesReadByBoth = 0
    var records = 0
    var fields = 0
    var agreeing = 0
    var disagreements: [PeerDisagreement] = []

    init(format: String, peer: String) {
        self.format = format
        self.peer = peer
    }

    mutating func compare(_ fixture: String, _ record: String, _ field: String, loam: String, peer: String) {
        guard !(loam.isEmpty && peer.isEmpty) else { return }
        fields += 1
        if loam == peer {
            agreeing += 1
        } else {
            disagreements.append(
                PeerDisagreement(fixture: fixture, record: record, field: field, loam: loam, peer: peer))
        }
    }

    /// The report, and a test issue for every disagreement the list does not explain and every entry of the list
    /// that explains nothing.
    func check(against known: [KnownDisagreement], sourceLocation: SourceLocation = #_sourceLocation) {
        var lines = ["\(format): Loam beside \(peer)"]
        let percent = fields == 0 ? 100 : Double(agreeing) * 100 / Double(fields)
        lines.append(
            "  fixtures \(fixtures) (\(fixturesReadByBoth) read to the end by both), records compared \(records), "
                + "fields \(fields), agreeing \(agreeing) (\(String(format: "%.1f", percent))%), "
                + "disagreements \(disagreements.count)")
        var unexplained: [PeerDisagreement] = []
        for disagreement in disagreements {
            let entry = known.first { $0.matches(disagreement) }
            if entry == nil { unexplained.append(disagreement) }
            lines.append(
                "  - \(disagreement.fixture) \(disagreement.record) \(disagreement.field): "
                    + "Loam \(disagreement.loam) | peer \(disagreement.peer)")
            lines.append(
                "      " + (entry.map { "\($0.right.rawValue): \($0.why)" } ?? "NOT IN THE LIST: a new disagreement"))
        }
        print(lines.joined(separator: "\n"))
        for disagreement in unexplained {
            Issue.record(
                """
                \(format): \(disagreement.fixture) \(disagreement.record) \(disagreement.field) disagrees \
                (Loam \(disagreement.loam), \(peer) \(disagreement.peer)); fix the side that is wrong, or add it \
                to the list with who is right and why
                """, sourceLocation: sourceLocation)
        }
        for entry in known where !disagreements.contains(where: entry.matches) {
            Issue.record(
                "\(format): \(entry.fixture) \(entry.record) \(entry.field) is in the list but no longer disagrees",
                sourceLocation: sourceLocation)
        }
    }
}

extension String {
    /// A value for the report: quoted, or empty when absent (so an absent value on both sides is not counted).
    static func peerValue(_ value: String?) -> String {
        value.map { "\"\($0)\"" } ?? ""
    }

    /// A list for the report: `["a", "b"]`, or empty when the list is.
    static func peerList(_ values: [String?]) -> String {
        values.isEmpty ? "" : "[" + values.map { $0.map { "\"\($0)\"" } ?? "nil" }.joined(separator: ", ") + "]"
    }
}
