import Fluent
import Foundation
import LoamKit
import Testing
import Vapor

@testable import LoamServer

/// `loam worker` processes sharing one PostgreSQL: jobs are never run twice at once, and a job whose
/// worker is killed runs again elsewhere once its lease lapses.
@Suite(
    "loam worker across processes",
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["LOAM_TEST_WORKERS_DATABASE_URL"] != nil
            && ProcessInfo.processInfo.environment["LOAM_TEST_SMTP_AUTH_URL"] != nil))
struct WorkerProcessTests {
    static let environment = ProcessInfo.processInfo.environment
    static let databaseURL = environment["LOAM_TEST_WORKERS_DATABASE_URL"] ?? ""
    /// Every process of this suite shares the master key, as the processes of one deployment do.
    static let masterKey = MasterKey.generate()

    /// An application on the shared database that queues work but runs none.
    func withSharedDatabase(_ body: (Application) async throws -> Void) async throws {
        try await withLoamApp(adjust: { configuration in
            configuration.database = .postgres(url: Self.databaseURL, schema: nil)
            configuration.masterKey = .provided(Self.masterKey)
        }) { app in
            try await body(app)
        }
    }

    func startWorker(in folder: URL, leaseSeconds: Int = 60, concurrency: Int = 2) throws -> LoamProcess {
        let worker = LoamProcess(
            ["worker"],
            environment: [
                "DATABASE_URL": Self.databaseURL,
                "LOAM_MASTER_KEY": Self.masterKey.base64,
                "SMTP_URL": Self.environment["LOAM_TEST_SMTP_AUTH_URL"] ?? "",
                "SMTP_CA_FILE": Self.environment["LOAM_TEST_SMTP_CA_FILE"] ?? "",
                "LOAM_JOB_LEASE_SECONDS": String(leaseSeconds),
                "LOAM_WORKER_CONCURRENCY": String(concurrency),
            ],
            workingDirectory: folder)
        try worker.start()
        return worker
    }

    func received(containing token: String) -> Int {
        let folder = (Self.environment["LOAM_TEST_SMTP_AUTH_MAILDIR"] ?? "") + "/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8))?.contains(token) == true
        }.count
    }

    func waitUntil(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func deliveryJob(for mailID: UUID, on db: any Database) async throws -> JobRecord? {
        let jobs = try await JobRecord.query(on: db).filter(\.$kind == MailDeliveryJob.kind).all()
        return jobs.first { job in
            let payload = try? JSONDecoder().decode(MailDeliveryJob.Payload.self, from: job.payload)
            return payload?.mailID == mailID
        }
    }

    func draft(_ address: String, token: String) throws -> MailDraft {
        MailDraft(
            to: [try MailAddress(address)], subject: "Worker test \(token)", body: "token \(token)\n", category: "test")
    }

    @Test("Two worker processes deliver 30 mails: each exactly once")
    func noJobRunsTwice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withSharedDatabase { app in
            let first = try startWorker(in: folder)
            let second = try startWorker(in: folder)
            defer {
                first.process.terminate()
                second.process.terminate()
            }
            let run = UUID().uuidString.lowercased()
            var ids: [UUID] = []
            for index in 0..<30 {
                let id = try await app.db.transaction { tx in
                    try await app.mailer.enqueue(
                        try draft("n\(index)-\(run)@example.org", token: "\(run)-\(index)."), on: tx)
                }
                ids.append(id)
            }
            let allSent = try await waitUntil {
                try await OutboxMail.query(on: app.db).filter(\.$id ~~ ids).filter(\.$state == .sent).count()
                    == ids.count
            }
            #expect(allSent)
            for index in 0..<30 {
                #expect(received(containing: "token \(run)-\(index).") == 1, "mail \(index)")
            }
            let jobs = try await JobRecord.query(on: app.db).filter(\.$kind == MailDeliveryJob.kind).all()
            let ours = jobs.filter { job in
                (try? JSONDecoder().decode(MailDeliveryJob.Payload.self, from: job.payload)).map {
                    ids.contains($0.mailID)
                } ?? false
            }
            #expect(ours.count == 30)
            #expect(ours.allSatisfy { $0.state == .succeeded && $0.attempts == 1 })

            first.process.terminate()
            second.process.terminate()
            #expect(try await first.finish().status == 0)
            #expect(try await second.finish().status == 0)
        }
    }

    @Test("A worker killed in the middle of a delivery: another worker delivers it once its lease lapses")
    func killedMidJob() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withSharedDatabase { app in
            let doomed = try startWorker(in: folder, leaseSeconds: 2, concurrency: 1)
            let token = UUID().uuidString.lowercased()
            // slow.invalid makes the server pause before accepting the recipient: the worker is mid-job.
            let id = try await app.mailer.enqueue(try draft("pause-\(token)@slow.invalid", token: token), on: app.db)
            let db = app.db
            #expect(
                try await waitUntil(timeout: .seconds(30)) { try await deliveryJob(for: id, on: db)?.state == .running }
            )

            kill(doomed.process.processIdentifier, SIGKILL)
            _ = try await doomed.finish()
            #expect(try await deliveryJob(for: id, on: db)?.state == .running)

            let rescuer = try startWorker(in: folder, leaseSeconds: 2, concurrency: 1)
            defer { rescuer.process.terminate() }
            let sent = try await waitUntil(timeout: .seconds(60)) {
                try await OutboxMail.find(id, on: app.db)?.state == .sent
            }
            #expect(sent)
            let finished = try #require(try await deliveryJob(for: id, on: db))
            #expect(finished.state == .succeeded)
            #expect(finished.attempts == 2)
            // The killed worker never reached DATA: exactly one delivery.
            #expect(received(containing: "token \(token)") == 1)
            rescuer.process.terminate()
            #expect(try await rescuer.finish().status == 0)
        }
    }
}
