import Foundation
import Logging

@testable import LoamServer

/// The servers `scripts/smtp.sh` starts; each test that needs one is enabled only when its variable is set.
enum SMTPTestEnvironment {
    static let environment = ProcessInfo.processInfo.environment
    static let plainURL = environment["LOAM_TEST_SMTP_URL"]
    static let plainMaildir = environment["LOAM_TEST_SMTP_MAILDIR"]
    static let authURL = environment["LOAM_TEST_SMTP_AUTH_URL"]
    static let authMaildir = environment["LOAM_TEST_SMTP_AUTH_MAILDIR"]
    static let smtpsURL = environment["LOAM_TEST_SMTPS_URL"]
    static let smtpsMaildir = environment["LOAM_TEST_SMTPS_MAILDIR"]
    static let caFile = environment["LOAM_TEST_SMTP_CA_FILE"]

    static var hasPlainServer: Bool { plainURL != nil && plainMaildir != nil }
    static var hasTLSServers: Bool {
        authURL != nil && authMaildir != nil && smtpsURL != nil && smtpsMaildir != nil && caFile != nil
    }

    /// The password scripts/smtp.sh gives the AUTH servers (percent-encoded in their URLs).
    static let password = "p@ss w0rd!"
}

/// Polls `maildir/new` for a message containing `token` (the servers write asynchronously to the reply).
func findMail(in maildir: String, containing token: String, timeout: Duration = .seconds(5)) async throws -> [UInt8]? {
    let folder = URL(fileURLWithPath: maildir).appendingPathComponent("new")
    let needle = Array(token.utf8)
    let deadline = ContinuousClock.now + timeout
    repeat {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                continue
            }
            let bytes = [UInt8](data)
            if bytes.firstRange(of: needle) != nil { return bytes }
        }
        try await Task.sleep(for: .milliseconds(100))
    } while ContinuousClock.now < deadline
    return nil
}

/// A small, real RFC 5322 message in UTF-8 with `8bit` transfer encoding, tagged with a unique token.
func makeTestMessage(
    token: String, from: String = "loam@example.test", to: String = "friend@example.test", body: String
) -> [UInt8] {
    let headers = [
        "From: Loam <\(from)>",
        "To: \(to)",
        "Subject: Test \(token)",
        "Date: Thu, 01 Jan 2026 10:00:00 +0000",
        "Message-ID: <\(token)@loam.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
}

/// Keeps every log line (message and metadata) for checks on what a client logged.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "loam.smtp.test") { _ in SMTPCapturingLogHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct SMTPCapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        sink.append("\(event.level) \(event.message) \(merged)")
    }
}
