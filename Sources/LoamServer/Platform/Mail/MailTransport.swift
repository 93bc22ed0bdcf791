import Foundation

/// A mail ready to hand to a transport.
public struct OutgoingMail: Sendable {
    public var id: UUID
    public var messageID: String
    public var from: String
    public var recipients: [String]
    /// The whole RFC 5322 message, CRLF line endings.
    public var message: [UInt8]
    public var queuedAt: Date
}

/// Where mail goes: an SMTP relay, or files in the outbox folder when no relay is configured.
public protocol MailTransport: Sendable {
    /// `smtp` or `file`, for readiness and logs.
    var name: String { get }
    /// Delivers one mail; returns where it went when that is worth recording (a file name).
    func deliver(_ mail: OutgoingMail) async throws -> String?
}

/// A delivery failure, classified for retries. Its description holds codes only.
public struct MailDeliveryError: LogSafeError, CustomStringConvertible {
    public var isTransient: Bool
    public var code: String

    public init(isTransient: Bool, code: String) {
        self.isTransient = isTransient
        self.code = code
    }

    public var description: String { "\(isTransient ? "transient" : "permanent") mail delivery failure: \(code)" }
    public var logDescription: String { description }
}
