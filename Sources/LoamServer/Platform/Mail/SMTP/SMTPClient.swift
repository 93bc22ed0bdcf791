import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Hands mail to the relay named by `SMTP_URL`.
///
/// A session is the RFC 5321 conversation up to a mail: greeting, EHLO, STARTTLS and EHLO again when offered
/// (or TLS from the start for `smtps`), AUTH. Each mail is then one transaction: MAIL FROM, RCPT TO for each
/// recipient, DATA. A recipient refusal aborts the transaction before DATA, so a retry never delivers twice to the
/// ones that were accepted.
///
/// A session that delivered is kept for the next mail for a few seconds (RFC 5321 §3.3 allows many transactions per
/// session): a burst of mail then costs the relay one handshake per worker, not one per mail. A kept session that
/// went stale (the relay closed it, or answers 421) is closed and the mail goes over a new one; a failed mail
/// never returns its session to the pool.
///
/// Logs carry host, port, stages, reply codes, counts and durations; never credentials, addresses or content.
final class SMTPClient: Sendable {
    /// Sessions kept open between mails, and for how long an unused one is trusted.
    static let maximumIdleSessions = 8
    static let idleLifetime: Duration = .seconds(10)

    let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    /// Built once: it loads the trust roots. A failure is reported by each delivery that needs TLS.
    private let tls: Result<SMTPTLS, SMTPError>
    private let idleSessions = NIOLockedValueBox<[Session]>([])
    private let isShutDown = NIOLockedValueBox(false)

    /// An open conversation, past authentication, between two transactions.
    private struct Session: Sendable {
        let connection: SMTPConnection
        let capabilities: SMTPCapabilities
        var idleSince: ContinuousClock.Instant
    }

    init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: "smtp.host"] = "\(configuration.host)"
        logger[metadataKey: "smtp.port"] = "\(configuration.port)"
        self.logger = logger
        self.tls = Result { () throws(SMTPError) in try SMTPTLS(configuration: configuration) }
    }

    /// Delivers one mail. Throws `SMTPError`; `isTransient` says whether a retry can help.
    func send(_ envelope: SMTPEnvelope) async throws(SMTPError) {
        let started = ContinuousClock.now
        do throws(SMTPError) {
            try envelope.validate()
            let payload = SMTPDataEncoder.encode(envelope.message)
            try await deliver(envelope, payload: payload)
            logger.info(
                "smtp delivered",
                metadata: [
                    "smtp.recipients": "\(envelope.recipients.count)",
                    "smtp.bytes": "\(payload.readableBytes)",
                    "smtp.duration_ms": "\(milliseconds(since: started))",
                ])
        } catch {
            logger.debug(
                "smtp delivery failed",
                metadata: [
                    "smtp.error": "\(error)", "smtp.transient": "\(error.isTransient)",
                    "smtp.duration_ms": "\(milliseconds(since: started))",
                ])
            throw error
        }
    }

    /// Connects, greets, upgrades and authenticates like a delivery, then quits: for a readiness probe.
    /// Always a new connection, so the probe says whether the relay can be reached now.
    func checkConnection() async throws(SMTPError) {
        let session = try await openSession()
        await quit(session.connection)
    }

    /// QUITs every kept session; later deliveries open and close their own.
    func shutdown() async {
        isShutDown.withLockedValue { $0 = true }
        let sessions = idleSessions.withLockedValue { sessions in
            defer { sessions = [] }
            return sessions
        }
        for session in sessions { await quit(session.connection) }
    }

    // MARK: - Sessions

    /// One transaction on a kept session when there is one, else on a new session.
    private func deliver(_ envelope: SMTPEnvelope, payload: ByteBuffer) async throws(SMTPError) {
        while var session = takeIdleSession() {
            do throws(SMTPError) {
                try await transaction(
                    envelope, payload: payload, connection: session.connection, capabilities: session.capabilities)
                session.idleSince = .now
                await keep(session)
                return
            } catch let error where Self.isStale(error) {
                // Nothing was handed over before MAIL FROM was accepted: try the next session or a new one.
                await session.connection.close()
            } catch {
                await session.connection.close()
                throw error
            }
        }
        var session = try await openSession()
        do throws(SMTPError) {
            try await transaction(
                envelope, payload: payload, connection: session.connection, capabilities: session.capabilities)
        } catch {
            await session.connection.close()
            throw error
        }
        session.idleSince = .now
        await keep(session)
    }

    /// A kept session fails its first command this way when the relay dropped it while it sat idle.
    private static func isStale(_ error: SMTPError) -> Bool {
        switch error {
        case .connectionClosed(.mailFrom), .timedOut(.mailFrom), .tls(.mailFrom, _): true
        case .rejected(.mailFrom, 421, _, _): true
        default: false
        }
    }

    private func takeIdleSession() -> Session? {
        let now = ContinuousClock.now
        var expired: [Session] = []
        let session = idleSessions.withLockedValue { sessions -> Session? in
            while let session = sessions.popLast() {
                if now - session.idleSince < Self.idleLifetime && session.connection.channel.isActive { return session }
                expired.append(session)
            }
            return nil
        }
        for old in expired { Task { await self.quit(old.connection) } }
        return session
    }

    /// Back to the pool for the next mail, or QUIT when the pool is full or the client shut down.
    private func keep(_ session: Session) async {
        let kept = idleSessions.withLockedValue { sessions in
            guard !isShutDown.withLockedValue({ $0 }), sessions.count < Self.maximumIdleSessions else { return false }
            sessions.append(session)
            return true
        }
        if !kept { await quit(session.connection) }
    }

    /// Opens a connection through authentication; the channel is closed when that fails.
    private func openSession() async throws(SMTPError) -> Session {
        let timeout = TimeAmount(configuration.timeout)
        let implicitTLS = try configuration.security == .implicitTLS ? tls.get() : nil
        let connection = try await SMTPConnection.connect(
            host: configuration.host, port: configuration.port, tls: implicitTLS, timeout: timeout,
            eventLoopGroup: eventLoopGroup)
        do throws(SMTPError) {
            let capabilities = try await handshake(connection)
            return Session(connection: connection, capabilities: capabilities, idleSince: .now)
        } catch {
            await connection.close()
            throw error
        }
    }

    // MARK: - Conversation

    private func handshake(_ connection: SMTPConnection) async throws(SMTPError) -> SMTPCapabilities {
        let greeting = try await connection.readReply(stage: .greeting)
        try expect(greeting, 220, stage: .greeting)
        var capabilities = try await hello(connection)

        if configuration.security != .implicitTLS {
            if capabilities.startTLS {
                let tls = try self.tls.get()
                let reply = try await connection.startTLS(tls)
                try expect(reply, 220, stage: .startTLS)
                // RFC 3207 §4.2: forget everything learned before TLS and ask again.
                capabilities = try await hello(connection)
            } else if configuration.security == .startTLSRequired {
                throw .startTLSUnavailable
            } else if configuration.hasCredentials && !configuration.isLoopbackHost {
                throw .credentialsInClear
            }
        }
        if configuration.hasCredentials {
            try await authenticate(connection, capabilities: capabilities)
        }
        return capabilities
    }

    /// EHLO, falling back to HELO (no extensions) for a server that does not speak ESMTP.
    private func hello(_ connection: SMTPConnection) async throws(SMTPError) -> SMTPCapabilities {
        let reply = try await connection.command("EHLO \(configuration.heloName)", stage: .ehlo)
        log(reply, stage: .ehlo)
        if reply.code == 250 { return SMTPCapabilities(ehloReply: reply) }
        guard (500...502).contains(reply.code) || reply.code == 504 else { throw rejection(reply, stage: .ehlo) }
        let fallback = try await connection.command("HELO \(configuration.heloName)", stage: .ehlo)
        try expect(fallback, 250, stage: .ehlo)
        return SMTPCapabilities()
    }

    private func transaction(
        _ envelope: SMTPEnvelope, payload: ByteBuffer, connection: SMTPConnection, capabilities: SMTPCapabilities
    ) async throws(SMTPError) {
        var parameters = ""
        // Our mails are 8bit UTF-8 text; declaring it lets the relay pass them on unchanged.
        if capabilities.eightBitMIME { parameters += " BODY=8BITMIME" }
        if envelope.needsSMTPUTF8 {
            guard capabilities.smtpUTF8 else {
                throw .invalidEnvelope(reason: "a non-ASCII address needs SMTPUTF8, which the server does not offer")
            }
            parameters += " SMTPUTF8"
        }
        if let maximumSize = capabilities.maximumSize {
            guard payload.readableBytes <= maximumSize else {
                throw .invalidEnvelope(reason: "message larger than the server's SIZE limit")
            }
            parameters += " SIZE=\(payload.readableBytes)"
        }

        let mailFrom = try await connection.command("MAIL FROM:<\(envelope.from)>\(parameters)", stage: .mailFrom)
        try expect(mailFrom, 250, stage: .mailFrom)
        for (index, recipient) in envelope.recipients.enumerated() {
            let reply = try await connection.command("RCPT TO:<\(recipient)>", stage: .rcptTo)
            log(reply, stage: .rcptTo)
            // 251: "not local, will forward" is an acceptance too.
            guard reply.code == 250 || reply.code == 251 else {
                throw .rejected(
                    stage: .rcptTo, code: reply.code, enhancedCode: reply.enhancedCode, recipientIndex: index)
            }
        }
        let data = try await connection.command("DATA", stage: .data)
        try expect(data, 354, stage: .data)
        let accepted = try await connection.send(payload, stage: .message)
        try expect(accepted, 250, stage: .message)
    }

    /// QUIT when a session ends: its mails are already accepted, so nothing here may turn into an error (a retry
    /// would deliver one twice). A short wait keeps a server that never answers QUIT from holding the worker.
    private func quit(_ connection: SMTPConnection) async {
        let short = SMTPConnection(channel: connection.channel, timeout: min(connection.timeout, .seconds(5)))
        if let reply = try? await short.command("QUIT", stage: .quit) { log(reply, stage: .quit) }
        await connection.close()
    }

    // MARK: - Replies

    private func expect(_ reply: SMTPReply, _ code: Int, stage: SMTPStage) throws(SMTPError) {
        log(reply, stage: stage)
        guard reply.code == code else { throw rejection(reply, stage: stage) }
    }

    private func rejection(_ reply: SMTPReply, stage: SMTPStage) -> SMTPError {
        .rejected(stage: stage, code: reply.code, enhancedCode: reply.enhancedCode, recipientIndex: nil)
    }

    private func log(_ reply: SMTPReply, stage: SMTPStage) {
        logger.debug("smtp reply", metadata: ["smtp.stage": "\(stage.rawValue)", "smtp.code": "\(reply.code)"])
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}
