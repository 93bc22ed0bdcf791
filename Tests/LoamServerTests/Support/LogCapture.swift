import LoamServer
import Logging
import NIOConcurrencyHelpers

/// Collects every log line an application writes, rendered as one string per line
/// (message and metadata), so tests can grep what an operator's log file would hold.
final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var captured: [String] { lines.withLockedValue { $0 } }

    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }

    /// A logger that writes here at `level`, through the same redacting handler `loam` uses.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "loam.test") { _ in RedactingLogHandler(CapturingLogHandler(capture: self)) }
        logger.logLevel = level
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var all = metadata
        if let explicit { all.merge(explicit) { $1 } }
        let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.append("[\(level)] \(message) \(rendered)")
    }
}
