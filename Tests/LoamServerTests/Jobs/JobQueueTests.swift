import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import LoamServer

/// A job that records each run and behaves as its payload says.
struct RecordingJob: JobHandler {
    enum Behaviour: String, Codable, Sendable {
        case succeed, failTransiently, failPermanently
        /// Finishes with an effect: a follow-up job, committed with the completion.
        case succeedWithEffect
        /// Another worker takes the lease before this one finishes.
        case loseLease
    }

    struct Payload: Codable, Sendable {
        var label: String
        var behaviour: Behaviour
    }

    static let kind = "test.record"
    static let maxAttempts = 3
    let runs: NIOLockedValueBox<[String]>

    struct Failure: Error {}

    func run(_ payload: Payload, context: JobContext) async throws {
        runs.withLockedValue { $0.append(payload.label) }
        switch payload.behaviour {
        case .succeed:
            return
        case .failTransiently:
            throw Failure()
        case .failPermanently:
            throw JobError.permanent("refused")
        case .succeedWithEffect:
            try await context.finish { tx in
                try await JobRecord(kind: "test.effect", payload: Data("{}".utf8), runAt: Date(), maxAttempts: 1)
                    .create(on: tx)
            }
        case .loseLease:
            try await JobRecord.query(on: context.database).filter(\.$id == context.jobID).set(
                \.$leaseToken, to: UUID()
            ).update()
            try await context.finish { tx in
                try await JobRecord(kind: "test.effect", payload: Data("{}".utf8), runAt: Date(), maxAttempts: 1)
                    .create(on: tx)
            }
        }
    }
}

@Suite("Jobs")
struct JobQueueTests {
    func withJobs(
        clock: LoamClock? = nil, _ body: (Application, NIOLockedValueBox<[String]>) async throws -> Void
    ) async throws {
        try await withLoamApp(clock: clock) { app in
            let runs = NIOLockedValueBox<[String]>([])
            app.jobs.register(RecordingJob(runs: runs))
            try await body(app, runs)
        }
    }

    func job(_ app: Application, kind: String = RecordingJob.kind) async throws -> JobRecord {
        try #require(try await JobRecord.query(on: app.db).filter(\.$kind == kind).first())
    }

    @Test("A queued job runs once and is marked succeeded")
    func runsOnce() async throws {
        try await withJobs { app, runs in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "a", behaviour: .succeed), on: app.db)
            #expect(try await app.jobs.runNext())
            #expect(try await app.jobs.runNext() == false)
            #expect(runs.withLockedValue { $0 } == ["a"])
            let record = try await job(app)
            #expect(record.state == .succeeded)
            #expect(record.attempts == 1)
            #expect(record.leaseToken == nil && record.finishedAt != nil)
        }
    }

    @Test("A job queued in a transaction that rolls back never exists")
    func rolledBack() async throws {
        try await withJobs { app, runs in
            struct Abandon: Error {}
            do {
                try await app.db.transaction { tx in
                    try await app.jobs.enqueue(RecordingJob.self, .init(label: "ghost", behaviour: .succeed), on: tx)
                    throw Abandon()
                }
            } catch is Abandon {
                // The change was abandoned, as intended.
            }
            #expect(try await app.jobs.runNext() == false)
            #expect(runs.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test("Effects commit together with the completion")
    func effectsWithCompletion() async throws {
        try await withJobs { app, _ in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "e", behaviour: .succeedWithEffect), on: app.db)
            #expect(try await app.jobs.runNext(kinds: [RecordingJob.kind]))
            #expect(try await job(app).state == .succeeded)
            #expect(try await JobRecord.query(on: app.db).filter(\.$kind == "test.effect").count() == 1)
        }
    }

    @Test("Attack: a worker whose lease was taken over commits neither its effects nor the completion")
    func leaseLost() async throws {
        try await withJobs { app, _ in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "l", behaviour: .loseLease), on: app.db)
            #expect(try await app.jobs.runNext(kinds: [RecordingJob.kind]))
            #expect(try await JobRecord.query(on: app.db).filter(\.$kind == "test.effect").count() == 0)
            let record = try await job(app)
            #expect(record.state == .running)
        }
    }

    @Test("A failure is retried after an exponential backoff, then the job is dead after its last attempt")
    func retriesWithBackoff() async throws {
        let (clock, time) = LoamClock.manual()
        try await withJobs(clock: clock) { app, runs in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "r", behaviour: .failTransiently), on: app.db)
            #expect(try await app.jobs.runNext())
            var record = try await job(app)
            #expect(record.state == .queued)
            #expect(record.attempts == 1)
            let firstDelay = record.runAt.timeIntervalSince(clock.now())
            #expect(firstDelay >= 1.6 && firstDelay <= 2.4)
            // Not due yet.
            #expect(try await app.jobs.runNext() == false)
            time.advance(by: firstDelay + 0.01)
            #expect(try await app.jobs.runNext())
            record = try await job(app)
            let secondDelay = record.runAt.timeIntervalSince(clock.now())
            #expect(secondDelay >= 3.2 && secondDelay <= 4.8)
            time.advance(by: secondDelay + 0.01)
            #expect(try await app.jobs.runNext())
            record = try await job(app)
            #expect(record.state == .dead)
            #expect(record.attempts == 3)
            #expect(record.lastError?.contains("Failure") == true)
            time.advance(by: 3600)
            #expect(try await app.jobs.runNext() == false)
            #expect(runs.withLockedValue { $0 } == ["r", "r", "r"])
        }
    }

    @Test("A permanent failure makes the job dead at once")
    func permanent() async throws {
        try await withJobs { app, runs in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "p", behaviour: .failPermanently), on: app.db)
            #expect(try await app.jobs.runNext())
            let record = try await job(app)
            #expect(record.state == .dead)
            #expect(record.lastError == "permanent failure: refused")
            #expect(runs.withLockedValue { $0 } == ["p"])
        }
    }

    @Test("A job whose worker died runs again once its lease lapses, not before")
    func lapsedLease() async throws {
        let (clock, time) = LoamClock.manual()
        try await withJobs(clock: clock) { app, runs in
            try await app.jobs.enqueue(RecordingJob.self, .init(label: "orphan", behaviour: .succeed), on: app.db)
            // A worker leased it and died: running, with a lease that has not lapsed yet.
            let record = try await job(app)
            record.state = .running
            record.attempts = 1
            record.leaseToken = UUID()
            record.leaseExpiresAt = clock.now().addingTimeInterval(60)
            try await record.save(on: app.db)
            #expect(try await app.jobs.runNext() == false)
            time.advance(by: 61)
            #expect(try await app.jobs.runNext())
            #expect(runs.withLockedValue { $0 } == ["orphan"])
            let after = try await job(app)
            #expect(after.state == .succeeded)
            #expect(after.attempts == 2)
        }
    }

    @Test("A job of an unknown kind is dead, not retried forever")
    func unknownKind() async throws {
        try await withJobs { app, _ in
            try await JobRecord(kind: "nobody.handles", payload: Data("{}".utf8), runAt: Date(), maxAttempts: 5).create(
                on: app.db)
            #expect(try await app.jobs.runNext())
            #expect(try await job(app, kind: "nobody.handles").state == .dead)
        }
    }

    @Test("Many workers at once: every job runs exactly once")
    func concurrentWorkers() async throws {
        try await withJobs { app, runs in
            for index in 0..<40 {
                try await app.jobs.enqueue(
                    RecordingJob.self, .init(label: "j\(index)", behaviour: .succeed), on: app.db)
            }
            let jobs = app.jobs
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await jobs.drain(timeout: .seconds(60)) }
                }
                try await group.waitForAll()
            }
            let labels = runs.withLockedValue { $0 }
            #expect(labels.count == 40)
            #expect(Set(labels).count == 40)
            #expect(try await JobRecord.query(on: app.db).filter(\.$state == .succeeded).count() == 40)
        }
    }

    @Test("The background worker picks up a job right after the enqueuing transaction commits")
    func workerWakes() async throws {
        try await withJobs { app, runs in
            app.jobWorker.start()
            defer { Task { await app.jobWorker.stop() } }
            let start = ContinuousClock.now
            try await app.db.transaction { tx in
                try await app.jobs.enqueue(RecordingJob.self, .init(label: "w", behaviour: .succeed), on: tx)
            }
            while runs.withLockedValue({ $0.isEmpty }), ContinuousClock.now - start < .seconds(10) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(runs.withLockedValue { $0 } == ["w"])
            await app.jobWorker.stop()
            #expect(!app.jobWorker.isRunning)
        }
    }
}
