/// Where in the conversation a delivery stopped; errors carry it so a log line says what failed without content.
enum SMTPStage: String, Sendable, Equatable {
    case connect, greeting, ehlo
    case startTLS = "starttls"
    case auth
    case mailFrom = "mail_from"
    case rcptTo = "rcpt_to"
    case data
    case message, quit
}

/// Why a delivery or a connection check failed.
///
/// `isTransient` tells the worker whether to retry with backoff (4xx replies, network, timeouts, TLS) or give up
/// (5xx replies, configuration the relay refuses). Descriptions are safe for logs: stages, reply codes and counts,
/// never a password, an address or the server's reply text (which often echoes addresses).
enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No TCP connection (refused, unreachable, name not resolved, connect timeout).
    case connectionFailed(reason: String)
    /// No reply within the configured timeout.
    case timedOut(stage: SMTPStage)
    /// The server closed the connection before answering.
    case connectionClosed(stage: SMTPStage)
    /// The TLS handshake or the TLS stream failed, an untrusted certificate included.
    case tls(stage: SMTPStage, reason: String)
    /// The server sent something that is not an SMTP reply, or plaintext right after agreeing to STARTTLS.
    case protocolViolation(stage: SMTPStage, reason: String)
    /// The server answered with a code other than the one expected. `recipientIndex` is the 0-based position of
    /// the refused recipient for `.rcptTo`.
    case rejected(stage: SMTPStage, code: Int, enhancedCode: String?, recipientIndex: Int?)
    /// `starttls=required` but the server does not offer STARTTLS.
    case startTLSUnavailable
    /// Credentials are configured, the server offers no STARTTLS, and it is not on loopback: the password stays home.
    case credentialsInClear
    /// Credentials are configured but the server offers no mechanism this client speaks (or not the one forced).
    case authenticationUnavailable
    /// The envelope cannot be sent as given (no recipient, an address with line breaks, a non-ASCII address
    /// without SMTPUTF8, bigger than the server's SIZE).
    case invalidEnvelope(reason: String)
    /// The TLS settings cannot be built (the CA file became unreadable).
    case tlsConfiguration(reason: String)

    var isTransient: Bool {
        switch self {
        case .connectionFailed, .timedOut, .connectionClosed, .tls, .protocolViolation:
            true
        case .rejected(_, let code, _, _):
            (400..<500).contains(code)
        case .startTLSUnavailable, .credentialsInClear, .authenticationUnavailable, .invalidEnvelope,
            .tlsConfiguration:
            false
        }
    }

    /// The reply code, for `.rejected`.
    var replyCode: Int? {
        if case .rejected(_, let code, _, _) = self { code } else { nil }
    }

    var description: String {
        switch self {
        case .connectionFailed(let reason):
            "SMTP connection failed: \(reason)"
        case .timedOut(let stage):
            "SMTP server did not answer in time (\(stage.rawValue))"
        case .connectionClosed(let stage):
            "SMTP server closed the connection (\(stage.rawValue))"
        case .tls(let stage, let reason):
            "SMTP TLS failed (\(stage.rawValue)): \(reason)"
        case .protocolViolation(let stage, let reason):
            "SMTP protocol violation (\(stage.rawValue)): \(reason)"
        case .rejected(let stage, let code, let enhancedCode, let recipientIndex):
            "SMTP server replied \(code)\(enhancedCode.map { " \($0)" } ?? "") to \(stage.rawValue)"
                + (recipientIndex.map { " (recipient #\($0 + 1))" } ?? "")
        case .startTLSUnavailable:
            "SMTP server does not offer STARTTLS, which SMTP_URL requires"
        case .credentialsInClear:
            "SMTP server offers no STARTTLS: credentials are not sent in clear to a host other than loopback"
        case .authenticationUnavailable:
            "SMTP server offers no authentication mechanism this client speaks (PLAIN, LOGIN)"
        case .invalidEnvelope(let reason):
            "SMTP envelope cannot be sent: \(reason)"
        case .tlsConfiguration(let reason):
            "SMTP TLS configuration failed: \(reason)"
        }
    }
}
