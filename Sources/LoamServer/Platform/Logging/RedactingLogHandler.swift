import LoamKit
import Logging

/// Wraps any log handler so that no message or metadata value carries an address, a credential or a token.
///
/// `loam` installs it around its standard-output handler and the tests around their capturing one,
/// so the rule the tests check is the rule production runs.
public struct RedactingLogHandler: LogHandler {
    private var base: any LogHandler

    public init(_ base: any LogHandler) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        // The handler's own metadata is redacted too: a library may have attached an address to a logger.
        var merged = base.metadata
        if let metadata { merged.merge(metadata) { $1 } }
        var copy = base
        copy.metadata = [:]
        copy.log(
            level: level, message: "\(LogRedactor.redact(message.description))",
            metadata: merged.mapValues(Self.redact), source: source, file: file, function: function, line: line)
    }

    static func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let string): .string(LogRedactor.redact(string))
        case .stringConvertible(let convertible): .string(LogRedactor.redact(convertible.description))
        case .array(let values): .array(values.map(redact))
        case .dictionary(let dictionary): .dictionary(dictionary.mapValues(redact))
        }
    }
}
