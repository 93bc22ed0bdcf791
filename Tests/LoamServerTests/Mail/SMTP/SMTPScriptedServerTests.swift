import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import LoamServer

/// Misbehaving servers that no real one can be made to imitate: silence, plaintext injected after STARTTLS's
/// `220`, malformed replies. A few lines of SwiftNIO answer each command line from a script.
@Suite("SMTP against misbehaving servers")
struct SMTPScriptedServerTests {
    private func withServer(
        greeting: String?, respond: @escaping @Sendable (String) -> String?,
        _ body: (Int) async throws -> Void
    ) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedSMTPHandler(greeting: greeting, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            try await body(server.localAddress!.port!)
        } catch {
            try? await server.close()
            throw error
        }
        try? await server.close()
    }

    private func check(port: Int, timeout: Duration = .seconds(5)) async -> SMTPError? {
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: port, security: .startTLSIfOffered)
        configuration.timeout = timeout
        let client = SMTPClient(configuration: configuration, logger: CapturedLogs().logger())
        do {
            try await client.send(
                SMTPEnvelope(from: "a@example.test", recipients: ["b@example.test"], message: Array("x".utf8)))
            return nil
        } catch {
            return error
        }
    }

    @Test func silentServerTimesOut() async throws {
        try await withServer(greeting: nil, respond: { _ in nil }) { port in
            let started = ContinuousClock.now
            let error = await check(port: port, timeout: .seconds(1))
            #expect(error == .timedOut(stage: .greeting))
            #expect(error?.isTransient == true)
            // Not a speed check: only that the 1 s timeout ends the wait instead of hanging.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func plaintextAfterStartTLSReadyIsRefused() async throws {
        try await withServer(
            greeting: "220 scripted\r\n",
            respond: { line in
                switch line.uppercased() {
                case let command where command.hasPrefix("EHLO"): "250-scripted\r\n250 STARTTLS\r\n"
                // The injected line would be read as the answer to the next command if it survived into TLS.
                case "STARTTLS": "220 go ahead\r\n250 injected\r\n"
                default: "250 OK\r\n"
                }
            }
        ) { port in
            let error = await check(port: port)
            guard case .protocolViolation(stage: .startTLS, _) = error else {
                Issue.record("expected a protocol violation at STARTTLS, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func multiLineReplyWithChangingCodeIsRefused() async throws {
        try await withServer(greeting: "220-one\r\n250 two\r\n", respond: { _ in nil }) { port in
            let error = await check(port: port)
            #expect(
                error == .protocolViolation(stage: .greeting, reason: "reply code changed within a multi-line reply"))
        }
    }

    @Test func busyGreetingIsTransientAndNoServiceIsPermanent() async throws {
        try await withServer(greeting: "421 4.3.2 busy\r\n", respond: { _ in nil }) { port in
            let error = await check(port: port)
            #expect(error == .rejected(stage: .greeting, code: 421, enhancedCode: "4.3.2", recipientIndex: nil))
            #expect(error?.isTransient == true)
        }
        try await withServer(greeting: "554 no service\r\n", respond: { _ in nil }) { port in
            #expect(await check(port: port)?.isTransient == false)
        }
    }

    @Test func closedMidConversationIsTransient() async throws {
        try await withServer(
            greeting: "220 scripted\r\n",
            respond: { line in
                line.uppercased().hasPrefix("EHLO") ? "250 scripted\r\n" : ""  // closes below
            }
        ) { port in
            let error = await check(port: port)
            #expect(error == .connectionClosed(stage: .mailFrom))
            #expect(error?.isTransient == true)
        }
    }

    @Test func ehloRefusedFallsBackToHelo() async throws {
        try await withServer(
            greeting: "220 old\r\n",
            respond: { line in
                switch line.uppercased() {
                case let command where command.hasPrefix("EHLO"): "502 what\r\n"
                case let command where command.hasPrefix("MAIL FROM:"):
                    // No extensions were offered, so no BODY= parameter may be sent.
                    command.contains("BODY=") ? "555 unexpected parameter\r\n" : "250 OK\r\n"
                case "DATA": "354 go\r\n"
                case "QUIT": "221 bye\r\n"
                default: "250 OK\r\n"
                }
            }
        ) { port in
            #expect(await check(port: port) == nil)
        }
    }
    /// A relay that ends idle sessions: the kept session's next MAIL FROM gets 421, and the mail goes over a new one.
    @Test func staleKeptSessionIsReplacedWithoutLosingTheMail() async throws {
        let counts = NIOLockedValueBox((ehlo: 0, mailFrom: 0, quit: 0))
        try await withServer(
            greeting: "220 scripted\r\n",
            respond: { line in
                let command = line.uppercased()
                if command.hasPrefix("EHLO") {
                    counts.withLockedValue { $0.ehlo += 1 }
                    return "250 scripted\r\n"
                }
                if command.hasPrefix("MAIL FROM:") {
                    let number = counts.withLockedValue { counts in
                        counts.mailFrom += 1
                        return counts.mailFrom
                    }
                    // The second MAIL FROM arrives on the kept session of the first mail.
                    return number == 2 ? "421 4.4.2 idle too long\r\n" : "250 OK\r\n"
                }
                if command == "DATA" { return "354 go\r\n" }
                if command == "QUIT" {
                    counts.withLockedValue { $0.quit += 1 }
                    return "221 bye\r\n"
                }
                return "250 OK\r\n"
            }
        ) { port in
            let client = SMTPClient(
                configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .startTLSIfOffered),
                logger: CapturedLogs().logger())
            let envelope = SMTPEnvelope(
                from: "a@example.test", recipients: ["b@example.test"], message: Array("x".utf8))
            try await client.send(envelope)
            // Kept: no QUIT yet, and the next mail needs no new EHLO unless the session went stale.
            #expect(counts.withLockedValue { $0 } == (ehlo: 1, mailFrom: 1, quit: 0))
            try await client.send(envelope)
            #expect(counts.withLockedValue { $0.ehlo } == 2)
            #expect(counts.withLockedValue { $0.mailFrom } == 3)
            try await client.send(envelope)
            #expect(counts.withLockedValue { $0.ehlo } == 2, "the third mail reuses the new session")
            await client.shutdown()
            try await Task.sleep(for: .milliseconds(200))
            #expect(counts.withLockedValue { $0.quit } == 1, "shutdown says QUIT on the kept session")
        }
    }
}

/// Answers each line with `respond(line)`; an empty answer closes the connection, `nil` says nothing.
/// After DATA it swallows the message until the lone ".".
private final class ScriptedSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let greeting: String?
    private let respond: @Sendable (String) -> String?
    private var pending = ""
    private var inData = false

    init(greeting: String?, respond: @escaping @Sendable (String) -> String?) {
        self.greeting = greeting
        self.respond = respond
    }

    func channelActive(context: ChannelHandlerContext) {
        if let greeting { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: greeting)), promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let range = pending.range(of: "\r\n") {
            let line = String(pending[..<range.lowerBound])
            pending.removeSubrange(..<range.upperBound)
            if inData {
                if line == "." {
                    inData = false
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "250 queued\r\n")), promise: nil)
                }
                continue
            }
            guard let answer = respond(line) else { continue }
            if answer.isEmpty {
                context.close(promise: nil)
                return
            }
            if answer.hasPrefix("354") { inData = true }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
        }
    }
}
