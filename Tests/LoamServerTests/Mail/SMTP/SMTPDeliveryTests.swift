import Foundation
import Logging
import Testing

@testable import LoamServer

/// Deliveries to the real aiosmtpd servers that scripts/smtp.sh starts, read back from their Maildirs.
@Suite("SMTP delivery", .serialized)
struct SMTPDeliveryTests {
    private func client(
        _ url: String?, caFile: String? = SMTPTestEnvironment.caFile, logs: CapturedLogs = CapturedLogs(),
        edit: (inout SMTPConfiguration) -> Void = { _ in }
    ) throws -> SMTPClient {
        var configuration = try SMTPConfiguration.parse(url: url ?? "", caFile: caFile)
        configuration.timeout = .seconds(10)
        edit(&configuration)
        return SMTPClient(configuration: configuration, logger: logs.logger())
    }

    private func token() -> String { "loam-\(UUID().uuidString.lowercased())" }

    private func expectSMTPError(_ operation: () async throws(SMTPError) -> Void) async -> SMTPError? {
        do {
            try await operation()
            Issue.record("expected an SMTPError")
            return nil
        } catch {
            return error
        }
    }

    // MARK: Plain aiosmtpd (Mailbox handler)

    @Test(.enabled(if: SMTPTestEnvironment.hasPlainServer))
    func plainDeliveryKeepsHeadersUTF8BodyAndDots() async throws {
        let token = token()
        let body = "Grüße aus Köln — ✓ 日本語\n.a line that starts with a dot\n..two dots\r\nbare CR\rend\n.\nlast"
        let message = makeTestMessage(token: token, body: body)
        try await client(SMTPTestEnvironment.plainURL).send(
            SMTPEnvelope(from: "loam@example.test", recipients: ["friend@example.test"], message: message))

        let stored = try #require(try await findMail(in: SMTPTestEnvironment.plainMaildir!, containing: token))
        // The Mailbox handler re-serialises with "\n" line ends: compare with those.
        let text = String(decoding: stored, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("Subject: Test \(token)\n"))
        #expect(text.contains("Content-Transfer-Encoding: 8bit\n"))
        #expect(text.contains("X-RcptTo: friend@example.test\n"))
        let expectedBody = "Grüße aus Köln — ✓ 日本語\n.a line that starts with a dot\n..two dots\nbare CR\nend\n.\nlast\n"
        #expect(text.hasSuffix("\n\n" + expectedBody))
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasPlainServer))
    func startTLSRequiredFailsWhenNotOffered() async throws {
        let client = try client(SMTPTestEnvironment.plainURL) { $0.security = .startTLSRequired }
        let error = await expectSMTPError { () throws(SMTPError) in try await client.checkConnection() }
        #expect(error == .startTLSUnavailable)
        #expect(error?.isTransient == false)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasPlainServer))
    func credentialsWithoutAuthOnServerArePermanent() async throws {
        let client = try client(SMTPTestEnvironment.plainURL) {
            $0.username = "loam"
            $0.password = "secret"
        }
        let error = await expectSMTPError { () throws(SMTPError) in try await client.checkConnection() }
        #expect(error == .authenticationUnavailable)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasPlainServer))
    func plainCheckConnection() async throws {
        try await client(SMTPTestEnvironment.plainURL).checkConnection()
    }

    // MARK: STARTTLS + AUTH (scripts/smtp_server.py)

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func startTLSAndAuthPlainDeliverExactBytes() async throws {
        let configuration = try SMTPConfiguration.parse(url: SMTPTestEnvironment.authURL!, caFile: nil)
        #expect(configuration.password == SMTPTestEnvironment.password)

        let token = token()
        let message = makeTestMessage(token: token, body: "Héllo ✓\n.dot line\nend")
        try await client(SMTPTestEnvironment.authURL).send(
            SMTPEnvelope(from: "loam@example.test", recipients: ["a@example.test", "b@example.test"], message: message))

        let stored = try #require(try await findMail(in: SMTPTestEnvironment.authMaildir!, containing: token))
        let text = String(decoding: stored, as: UTF8.self)
        #expect(text.contains("X-RcptTo: a@example.test, b@example.test\r\n"))
        #expect(text.contains("X-Loam-Auth: PLAIN\r\n"))
        #expect(text.contains("BODY=8BITMIME"))
        // This server stores what it received after dot-unstuffing: our CRLF-normalised message, byte for byte.
        let expected =
            Array(
                String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                    .replacingOccurrences(of: "\n", with: "\r\n").utf8)
            + Array("\r\n".utf8)
        #expect(Array(stored.suffix(expected.count)) == expected)
    }

    /// Mails in a row share one authenticated session: the relay sees them all from the same client port.
    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func mailsInARowShareOneAuthenticatedSession() async throws {
        let logs = CapturedLogs()
        let client = try client(SMTPTestEnvironment.authURL, logs: logs)
        var peers: [String] = []
        for _ in 0..<3 {
            let token = token()
            try await client.send(
                SMTPEnvelope(
                    from: "loam@example.test", recipients: ["friend@example.test"],
                    message: makeTestMessage(token: token, body: "x")))
            let stored = String(
                decoding: try #require(try await findMail(in: SMTPTestEnvironment.authMaildir!, containing: token)),
                as: UTF8.self)
            #expect(stored.contains("X-Loam-Auth: PLAIN"))
            // The server writes CRLF, one Character in Swift: split on any line break.
            let peer = stored.split(whereSeparator: \.isNewline).first { $0.hasPrefix("X-Peer: ") }
            peers.append(String(try #require(peer)))
        }
        #expect(Set(peers).count == 1, "one connection for three mails: \(peers)")
        #expect(
            logs.all.filter { $0.contains("smtp.stage\": ehlo") }.count == 2,
            "one EHLO before and one after STARTTLS, for all three")
        await client.shutdown()
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func authLoginWhenForced() async throws {
        let token = token()
        try await client(SMTPTestEnvironment.authURL! + "?auth=login").send(
            SMTPEnvelope(
                from: "loam@example.test", recipients: ["a@example.test"],
                message: makeTestMessage(token: token, body: "x")))
        let stored = try #require(try await findMail(in: SMTPTestEnvironment.authMaildir!, containing: token))
        #expect(String(decoding: stored, as: UTF8.self).contains("X-Loam-Auth: LOGIN\r\n"))
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func nonASCIIAddressUsesSMTPUTF8() async throws {
        let token = token()
        try await client(SMTPTestEnvironment.authURL).send(
            SMTPEnvelope(
                from: "loam@example.test", recipients: ["jürgen@exämple.test"],
                message: makeTestMessage(token: token, body: "x")))
        let stored = try #require(try await findMail(in: SMTPTestEnvironment.authMaildir!, containing: token))
        let text = String(decoding: stored, as: UTF8.self)
        #expect(text.contains("X-RcptTo: jürgen@exämple.test\r\n"))
        #expect(text.contains("SMTPUTF8"))
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func implicitTLSDelivers() async throws {
        let token = token()
        try await client(SMTPTestEnvironment.smtpsURL).send(
            SMTPEnvelope(
                from: "loam@example.test", recipients: ["a@example.test"],
                message: makeTestMessage(token: token, body: "over smtps")))
        let stored = try #require(try await findMail(in: SMTPTestEnvironment.smtpsMaildir!, containing: token))
        #expect(String(decoding: stored, as: UTF8.self).contains("X-Loam-Auth: PLAIN\r\n"))
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers), arguments: ["auth", "smtps"])
    func wrongPasswordIsPermanentAndSendsNothing(server: String) async throws {
        let url = server == "auth" ? SMTPTestEnvironment.authURL : SMTPTestEnvironment.smtpsURL
        let maildir = server == "auth" ? SMTPTestEnvironment.authMaildir! : SMTPTestEnvironment.smtpsMaildir!
        let client = try client(url) { $0.password = "wrong" }
        let token = token()
        let error = await expectSMTPError { () throws(SMTPError) in
            try await client.send(
                SMTPEnvelope(
                    from: "loam@example.test", recipients: ["a@example.test"],
                    message: makeTestMessage(token: token, body: "x")))
        }
        #expect(error?.replyCode == 535)
        #expect(error?.isTransient == false)
        #expect(try await findMail(in: maildir, containing: token, timeout: .milliseconds(500)) == nil)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers), arguments: ["auth", "smtps"])
    func untrustedCertificateFailsWithoutCAFile(server: String) async throws {
        let url = server == "auth" ? SMTPTestEnvironment.authURL : SMTPTestEnvironment.smtpsURL
        let maildir = server == "auth" ? SMTPTestEnvironment.authMaildir! : SMTPTestEnvironment.smtpsMaildir!
        let client = try client(url, caFile: nil)
        let token = token()
        let error = await expectSMTPError { () throws(SMTPError) in
            try await client.send(
                SMTPEnvelope(
                    from: "loam@example.test", recipients: ["a@example.test"],
                    message: makeTestMessage(token: token, body: "x")))
        }
        switch error {
        case .tls?:
            break
        case .connectionClosed?:
            // The peer may close on the failed handshake before NIOSSL reports it; what matters is
            // that nothing was sent to a server whose certificate could not be verified.
            break
        default:
            Issue.record("expected a TLS error, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == true)
        #expect(try await findMail(in: maildir, containing: token, timeout: .milliseconds(500)) == nil)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func hostNameIsVerifiedAgainstTheCertificate() async throws {
        // By name: SNI and the certificate's DNS name (localhost) are checked instead of its IP address.
        try await client(SMTPTestEnvironment.smtpsURL) { $0.host = "localhost" }.checkConnection()
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func refusedRecipientIsPermanent() async throws {
        let token = token()
        let client = try client(SMTPTestEnvironment.authURL)
        let error = await expectSMTPError { () throws(SMTPError) in
            try await client.send(
                SMTPEnvelope(
                    from: "loam@example.test", recipients: ["ok@example.test", "nobody@reject.invalid"],
                    message: makeTestMessage(token: token, body: "x")))
        }
        #expect(error == .rejected(stage: .rcptTo, code: 550, enhancedCode: "5.1.1", recipientIndex: 1))
        #expect(error?.isTransient == false)
        // The transaction is abandoned: not even the accepted recipient gets the mail.
        #expect(
            try await findMail(in: SMTPTestEnvironment.authMaildir!, containing: token, timeout: .milliseconds(500))
                == nil)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func temporarilyRefusedRecipientIsTransient() async throws {
        let client = try client(SMTPTestEnvironment.smtpsURL)
        let token = token()
        let error = await expectSMTPError { () throws(SMTPError) in
            try await client.send(
                SMTPEnvelope(
                    from: "loam@example.test", recipients: ["later@tempfail.invalid"],
                    message: makeTestMessage(token: token, body: "x")))
        }
        #expect(error?.replyCode == 451)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("tempfail") == false)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func checkConnectionAuthenticates() async throws {
        try await client(SMTPTestEnvironment.authURL).checkConnection()
        try await client(SMTPTestEnvironment.smtpsURL).checkConnection()
        let wrong = try client(SMTPTestEnvironment.smtpsURL) { $0.password = "nope" }
        let error = await expectSMTPError { () throws(SMTPError) in try await wrong.checkConnection() }
        #expect(error?.replyCode == 535)
    }

    @Test(.enabled(if: SMTPTestEnvironment.hasTLSServers))
    func logsCarryNoSecretsAddressesOrContent() async throws {
        let logs = CapturedLogs()
        let token = token()
        try await client(SMTPTestEnvironment.authURL, logs: logs).send(
            SMTPEnvelope(
                from: "sender-secret@example.test", recipients: ["recipient-secret@example.test"],
                message: makeTestMessage(token: token, body: "body-secret")))
        try await client(SMTPTestEnvironment.authURL! + "?auth=login", logs: logs).checkConnection()
        let failing = try client(SMTPTestEnvironment.authURL, logs: logs)
        _ = await expectSMTPError { () throws(SMTPError) in
            try await failing.send(
                SMTPEnvelope(
                    from: "sender-secret@example.test", recipients: ["x@reject.invalid"],
                    message: makeTestMessage(token: token, body: "body-secret")))
        }

        let lines = logs.all
        #expect(!lines.isEmpty)
        #expect(lines.contains { $0.contains("smtp.code") })
        let password = SMTPTestEnvironment.password
        let forbidden = [
            password, "p%40ss", Data("\0loam\0\(password)".utf8).base64EncodedString(),
            Data(password.utf8).base64EncodedString(), Data("loam".utf8).base64EncodedString(),
            "sender-secret", "recipient-secret", "reject.invalid", "body-secret", token,
        ]
        for line in lines {
            for secret in forbidden {
                #expect(!line.contains(secret), "a log line contains a secret")
            }
        }
    }

    // MARK: Nothing listening

    @Test func connectionRefusedIsTransient() async throws {
        // Port 1 (tcpmux) has no listener on a test machine.
        let client = try client("smtp://127.0.0.1:1", caFile: nil)
        let error = await expectSMTPError { () throws(SMTPError) in
            try await client.send(SMTPEnvelope(from: "a@example.test", recipients: ["b@example.test"], message: []))
        }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == true)
    }
}
