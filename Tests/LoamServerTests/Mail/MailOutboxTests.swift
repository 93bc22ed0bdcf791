import Fluent
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// A transport that fails as told, or records what it was given.
final class ScriptedTransport: MailTransport, Sendable {
    let name = "scripted"
    let failure: MailDeliveryError?
    let delivered = NIOLockedValueBox<[OutgoingMail]>([])

    init(failure: MailDeliveryError? = nil) { self.failure = failure }

    func deliver(_ mail: OutgoingMail) async throws -> String? {
        if let failure { throw failure }
        delivered.withLockedValue { $0.append(mail) }
        return nil
    }
}

@Suite("Mail outbox")
struct MailOutboxTests {
    static let link = "https://loam.example.com/invitations/q2Xv7cYl0bZ1m4k9PqRsTuVwXyZaBcDeFgHiJkLmNoP"

    func draft() throws -> MailDraft {
        MailDraft(
            to: [try MailAddress("dana@example.org", name: "Dana")], subject: "You are invited",
            body: "Dana, Alice invited you to a Loam workspace.\n\n\(Self.link)\n\nThe link is valid for 7 days.\n",
            category: "invitation")
    }

    @Test("A mail queued with its change is sealed at rest, then written to data/outbox/ as <time>-<id>.eml and kept")
    func fileTransport() async throws {
        let logs = LogCapture()
        try await withLoamApp(logs: logs) { app in
            let id = try await app.db.transaction { tx in try await app.mailer.enqueue(try draft(), on: tx) }

            let queued = try #require(try await OutboxMail.find(id, on: app.db))
            #expect(queued.state == .queued)
            let sealed = try #require(queued.sealedEnvelope)
            let raw = String(decoding: sealed, as: UTF8.self)
            #expect(!raw.contains("dana@example.org") && !raw.contains("q2Xv7cYl0bZ1m4k9"))

            #expect(try await app.jobs.drain() == 1)
            let sent = try #require(try await OutboxMail.find(id, on: app.db))
            #expect(sent.state == .sent)
            #expect(sent.sealedEnvelope == nil)
            let fileName = try #require(sent.deliveredTo)
            #expect(fileName.hasSuffix("-\(id.uuidString.lowercased()).eml"))
            #expect(fileName.range(of: #"^\d{8}T\d{6}Z-"#, options: .regularExpression) != nil)

            let path = app.loamConfiguration.outboxDirectory + "/" + fileName
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("To: \"Dana\" <dana@example.org>\r\n"))
            #expect(text.contains("Message-ID: <\(sent.messageID)>\r\n"))
            #expect(text.contains("Content-Transfer-Encoding: 8bit\r\n"))
            #expect(text.contains("\r\n\(Self.link)\r\n"))
            #expect(
                logs.captured.contains { $0.contains("mail written to the outbox folder") && $0.contains(fileName) })
            // The address and the link's token never reach the log.
            #expect(!logs.captured.contains { $0.contains("dana@example.org") || $0.contains("q2Xv7cYl0bZ1m4k9") })
        }
    }

    @Test("A change that rolls back sends no mail")
    func rolledBack() async throws {
        try await withLoamApp { app in
            struct Abandon: Error {}
            do {
                try await app.db.transaction { tx in
                    try await app.mailer.enqueue(try draft(), on: tx)
                    throw Abandon()
                }
            } catch is Abandon {
                // The change was abandoned, as intended.
            }
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
            #expect(try await app.jobs.drain() == 0)
        }
    }

    @Test("While delivery keeps failing the mail is retried and /readyz reports mail as degraded, not down")
    func transientFailure() async throws {
        try await withLoamApp { app in
            app.mailTransport = ScriptedTransport(failure: MailDeliveryError(isTransient: true, code: "421 try later"))
            let id = try await app.mailer.enqueue(try draft(), on: app.db)
            #expect(try await app.jobs.drain() == 1)
            let mail = try #require(try await OutboxMail.find(id, on: app.db))
            #expect(mail.state == .retrying)
            #expect(mail.lastError == "421 try later")
            #expect(mail.sealedEnvelope != nil)
            let job = try #require(
                try await JobRecord.query(on: app.db).filter(\.$kind == MailDeliveryJob.kind).first())
            #expect(job.state == .queued && job.runAt > Date())

            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains(#""status":"degraded""#))
                #expect(body.contains(#""name":"mail""#))
            }
        }
    }

    @Test("A permanent refusal gives the mail up at once and erases its envelope")
    func permanentFailure() async throws {
        try await withLoamApp { app in
            app.mailTransport = ScriptedTransport(
                failure: MailDeliveryError(isTransient: false, code: "550 no such user"))
            let id = try await app.mailer.enqueue(try draft(), on: app.db)
            #expect(try await app.jobs.drain() == 1)
            let mail = try #require(try await OutboxMail.find(id, on: app.db))
            #expect(mail.state == .failed)
            #expect(mail.sealedEnvelope == nil)
            let job = try #require(
                try await JobRecord.query(on: app.db).filter(\.$kind == MailDeliveryJob.kind).first())
            #expect(job.state == .dead)
            // A mail given up within the hour degrades mail readiness.
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.body.string.contains(#""status":"degraded""#))
            }
        }
    }

    @Test("A draft with a link inside a sentence is refused before anything is queued")
    func linkRule() async throws {
        try await withLoamApp { app in
            let bad = MailDraft(
                to: [try MailAddress("dana@example.org")], subject: "x", body: "Click https://loam.example.com/x now",
                category: "test")
            await #expect(throws: MailDraftError.linkNotAlone(category: "test")) {
                try await app.mailer.enqueue(bad, on: app.db)
            }
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }

    @Test("With delivery working, /readyz reports mail ok")
    func readyWhenHealthy() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.body.string.contains(#"{"detail":"delivery via file","latency_ms":"#))
                #expect(response.body.string.hasSuffix(#""status":"ok"}"#))
            }
        }
    }
}
