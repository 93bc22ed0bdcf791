import Fluent
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import LoamServer

/// The outbox delivering to a real SMTP server (aiosmtpd, started by scripts/test).
@Suite(
    "Mail outbox over SMTP",
    .enabled(if: ProcessInfo.processInfo.environment["LOAM_TEST_SMTP_URL"] != nil))
struct MailSMTPDeliveryTests {
    static let environment = ProcessInfo.processInfo.environment

    func withSMTPApp(clock: LoamClock? = nil, _ body: (Application) async throws -> Void) async throws {
        let smtp = try SMTPConfiguration.parse(url: Self.environment["LOAM_TEST_SMTP_URL"] ?? "", caFile: nil)
        try await withLoamApp(clock: clock) { app in
            app.mailTransport = SMTPMailTransport(
                client: SMTPClient(configuration: smtp, eventLoopGroup: app.eventLoopGroup, logger: app.logger))
            try await body(app)
        }
    }

    /// The raw mails in the server's Maildir that carry `messageID`, waiting up to `timeout` for `count` of them.
    static func received(messageID: String, atLeast count: Int = 1, timeout: Duration = .seconds(10)) async throws
        -> [String]
    {
        let folder = (environment["LOAM_TEST_SMTP_MAILDIR"] ?? "") + "/new"
        let deadline = ContinuousClock.now + timeout
        var found: [String] = []
        repeat {
            found =
                (try? FileManager.default.contentsOfDirectory(atPath: folder))?.compactMap { name in
                    guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8),
                        text.contains("Message-ID: <\(messageID)>")
                    else { return nil }
                    return text
                } ?? []
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        return found
    }

    func draft(_ token: String) throws -> MailDraft {
        MailDraft(
            to: [try MailAddress("dana+\(token)@example.org", name: "Dana Øster")], subject: "Välkommen \(token)",
            body: "Hello Dana,\n\nhttps://loam.example.com/invitations/\(token)\n\n.a line that starts with a dot\n",
            category: "test")
    }

    @Test("A queued mail reaches the SMTP server as 8bit UTF-8 text with its Message-ID")
    func delivered() async throws {
        try await withSMTPApp { app in
            let token = UUID().uuidString
            let id = try await app.mailer.enqueue(try draft(token), on: app.db)
            #expect(try await app.jobs.drain() == 1)
            let mail = try #require(try await OutboxMail.find(id, on: app.db))
            #expect(mail.state == .sent)
            #expect(mail.deliveredTo == nil)
            let received = try await Self.received(messageID: mail.messageID)
            #expect(received.count == 1)
            let text = try #require(received.first)
            #expect(text.contains("X-RcptTo: dana+\(token)@example.org"))
            #expect(text.contains("Content-Type: text/plain; charset=utf-8"))
            #expect(text.contains("Content-Transfer-Encoding: 8bit"))
            #expect(
                text.contains("\nhttps://loam.example.com/invitations/\(token)\n")
                    || text.contains("\r\nhttps://loam.example.com/invitations/\(token)\r\n"))
            #expect(text.contains(".a line that starts with a dot"))
            #expect(!text.contains("..a line"))
        }
    }

    /// A transport that hands the mail to the real server and then hangs, as a process would that
    /// died between the relay's "250 OK" and the commit that marks the mail sent.
    final class DiesAfterSending: MailTransport, Sendable {
        let name = "smtp"
        let inner: any MailTransport
        let release = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        let sent = NIOLockedValueBox(false)

        init(inner: any MailTransport) { self.inner = inner }

        func deliver(_ mail: OutgoingMail) async throws -> String? {
            _ = try await inner.deliver(mail)
            sent.withLockedValue { $0 = true }
            await withCheckedContinuation { continuation in release.withLockedValue { $0 = continuation } }
            throw MailDeliveryError(isTransient: true, code: "the process died")
        }

        func revive() {
            release.withLockedValue {
                $0?.resume()
                $0 = nil
            }
        }
    }

    @Test("A crash between sending and marking sent delivers the mail at most once more, with the same Message-ID")
    func crashBetweenSendAndCommit() async throws {
        let (clock, time) = LoamClock.manual(start: Date())
        try await withSMTPApp(clock: clock) { app in
            let real = app.mailTransport
            let dying = DiesAfterSending(inner: real)
            app.mailTransport = dying
            let id = try await app.mailer.enqueue(try draft(UUID().uuidString), on: app.db)
            let messageID = try #require(try await OutboxMail.find(id, on: app.db)).messageID

            let jobs = app.jobs
            let crashed = Task { try await jobs.runNext() }
            let first = try await Self.received(messageID: messageID)
            #expect(first.count == 1)
            while !dying.sent.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }

            // The dead worker's lease lapses; another worker runs the job again.
            app.mailTransport = real
            #expect(try await app.jobs.runNext() == false)
            time.advance(by: TimeInterval(app.loamConfiguration.jobLeaseSeconds) + 1)
            #expect(try await app.jobs.runNext())
            #expect(try await OutboxMail.find(id, on: app.db)?.state == .sent)

            // The stale worker wakes up and fails: it must change nothing.
            dying.revive()
            _ = try await crashed.value
            #expect(try await app.jobs.drain() == 0)
            #expect(try await OutboxMail.find(id, on: app.db)?.state == .sent)
            let job = try #require(
                try await JobRecord.query(on: app.db).filter(\.$kind == MailDeliveryJob.kind).first())
            #expect(job.state == .succeeded)

            // Exactly one extra delivery, recognisable by its Message-ID.
            let all = try await Self.received(messageID: messageID, atLeast: 3, timeout: .seconds(2))
            #expect(all.count == 2)
        }
    }
}
