import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to the relay, driven by async calls: send a command, await its reply.
///
/// All handler access hops onto the channel's event loop; the connection itself only holds the channel, so it is
/// `Sendable`. The owner closes it on every path (`SMTPClient`'s sessions).
struct SMTPConnection: Sendable {
    let channel: any Channel
    let timeout: TimeAmount

    /// Connects, with TLS from the first byte when `tls` is given.
    static func connect(
        host: String,
        port: Int,
        tls: SMTPTLS?,
        timeout: TimeAmount,
        eventLoopGroup: any EventLoopGroup
    ) async throws(SMTPError) -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(tls.makeHandler())
                    }
                    try operations.addHandler(SMTPReplyHandler(isTLS: tls != nil))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return SMTPConnection(channel: channel, timeout: timeout)
        } catch {
            throw .connectionFailed(reason: SMTPConnection.describeConnectError(error))
        }
    }

    /// Waits for a reply without sending anything (the greeting).
    func readReply(stage: SMTPStage) async throws(SMTPError) -> SMTPReply {
        try await exchange(nil, stage: stage)
    }

    /// Sends one command line (CRLF added) and waits for its reply.
    func command(_ line: String, stage: SMTPStage) async throws(SMTPError) -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        return try await exchange(buffer, stage: stage)
    }

    /// Sends raw bytes (the message after DATA) and waits for the reply.
    func send(_ bytes: ByteBuffer, stage: SMTPStage) async throws(SMTPError) -> SMTPReply {
        try await exchange(bytes, stage: stage)
    }

    /// Sends STARTTLS; on `220` the reply handler puts TLS in front of itself before reading another byte.
    /// Any other reply is returned untouched for the caller to judge.
    func startTLS(_ tls: SMTPTLS) async throws(SMTPError) -> SMTPReply {
        let timeout = self.timeout
        let channel = self.channel
        let future = channel.eventLoop.flatSubmit { () -> EventLoopFuture<SMTPReply> in
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self)
                let armed = handler.prepareUpgrade { operations in
                    try operations.addHandler(tls.makeHandler(), position: .first)
                }
                guard armed else {
                    return channel.eventLoop.makeFailedFuture(
                        SMTPReplyHandler.Failure.protocolViolation("unexpected reply before STARTTLS"))
                }
                let reply = handler.nextReply(timeout: timeout)
                channel.writeAndFlush(ByteBuffer(string: "STARTTLS\r\n"), promise: nil)
                return reply
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        return try await Self.await(future, stage: .startTLS)
    }

    /// Closes the channel; errors (already closed, TLS close_notify not answered) do not matter any more.
    func close() async {
        try? await channel.close()
    }

    private func exchange(_ bytes: ByteBuffer?, stage: SMTPStage) async throws(SMTPError) -> SMTPReply {
        let timeout = self.timeout
        let channel = self.channel
        let future = channel.eventLoop.flatSubmit { () -> EventLoopFuture<SMTPReply> in
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self)
                // Wait first, then write: a fast reply must find its waiter (or the queue) either way.
                let reply = handler.nextReply(timeout: timeout)
                if let bytes { channel.writeAndFlush(bytes, promise: nil) }
                return reply
            } catch {
                // The handler is gone only when the channel was torn down.
                return channel.eventLoop.makeFailedFuture(SMTPReplyHandler.Failure.closed)
            }
        }
        return try await Self.await(future, stage: stage)
    }

    private static func await(
        _ future: EventLoopFuture<SMTPReply>, stage: SMTPStage
    ) async throws(SMTPError) -> SMTPReply {
        do {
            return try await future.get()
        } catch let failure as SMTPReplyHandler.Failure {
            switch failure {
            case .timedOut: throw .timedOut(stage: stage)
            case .closed: throw .connectionClosed(stage: stage)
            case .protocolViolation(let reason): throw .protocolViolation(stage: stage, reason: reason)
            case .tls(let error): throw .tls(stage: stage, reason: describeTLSError(error))
            case .io: throw .connectionClosed(stage: stage)
            }
        } catch {
            throw .connectionClosed(stage: stage)
        }
    }

    /// Short, address-free reasons: the host and port are in the client's log metadata already.
    static func describeConnectError(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil && error.dnsAError != nil { return "host name not resolved" }
            if let first = error.connectionErrors.first?.error { return describeConnectError(first) }
            return "no address to connect to"
        }
        if let error = error as? IOError { return "\(error.description)" }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connect timed out" }
        return String(describing: type(of: error))
    }

    static func describeTLSError(_ error: any Error) -> String {
        if let error = error as? NIOSSLError {
            switch error {
            case .handshakeFailed(let boringError): return "handshake failed: \(boringError)"
            case .uncleanShutdown: return "unclean shutdown"
            default: return "\(error)"
            }
        }
        if let error = error as? NIOSSLExtraError { return "\(error)" }
        if let error = error as? BoringSSLError { return "\(error)" }
        if let error = error as? IOError { return "\(error.description)" }
        return String(describing: type(of: error))
    }
}
