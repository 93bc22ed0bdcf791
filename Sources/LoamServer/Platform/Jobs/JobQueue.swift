import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Queues background work in the database and runs it.
///
/// Anything may enqueue (inside its own transaction, so the work exists exactly when the change
/// that caused it does); workers in this or any other process lease jobs one at a time.
public final class JobQueue: Sendable {
    struct Settings: Sendable {
        /// How long a lease lasts without renewal; a worker that died loses its jobs after this.
        var leaseDuration: TimeInterval = 60
        /// How often an idle worker looks for jobs queued by other processes.
        var idleInterval: Duration = .seconds(1)
        /// First retry delay; doubled on each failure up to `maxBackoff`.
        var baseBackoff: TimeInterval = 2
        var maxBackoff: TimeInterval = 3600
    }

    let settings: Settings
    let clock: LoamClock
    let logger: Logger
    let signal = WakeSignal()
    private let database: @Sendable () -> any Database
    private let handlers = NIOLockedValueBox<[String: AnyJobHandler]>([:])

    init(settings: Settings, clock: LoamClock, logger: Logger, database: @escaping @Sendable () -> any Database) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.database = database
    }

    public func register<Handler: JobHandler>(_ handler: Handler) {
        handlers.withLockedValue { $0[Handler.kind] = AnyJobHandler(handler) }
    }

    /// Adds a job in `database` (pass the caller's transaction) and wakes this process's workers.
    @discardableResult
    public func enqueue<Handler: JobHandler>(
        _ type: Handler.Type, _ payload: Handler.Payload, on database: any Database, runAt: Date? = nil
    ) async throws -> UUID {
        let record = try JobRecord(type, payload: payload, runAt: runAt ?? clock.now())
        try await record.create(on: database)
        await signal.wake()
        return try record.requireID()
    }

    /// Wakes an idle worker now (after a commit that queued work).
    public func wake() async { await signal.wake() }

    /// Wakes every idle worker (to stop).
    func wakeAll() async { await signal.wakeAll() }

    /// Leases and runs one job; false when nothing was runnable.
    @discardableResult
    public func runNext(kinds: [String]? = nil) async throws -> Bool {
        let db = database()
        let sql = try db.sql()
        let token = UUID()
        let now = clock.now()
        let leaseUntil = now.addingTimeInterval(settings.leaseDuration)
        // A plain read first: idle workers polling an empty queue must not queue up for the write lock.
        guard try await JobStore.hasRunnable(kinds: kinds, now: now, on: sql) else { return false }
        let leased = try await db.serializedWrite {
            try await JobStore.strategy(for: db).leaseNext(
                kinds: kinds, token: token, now: now, leaseUntil: leaseUntil, on: sql)
        }
        guard
            let id = leased,
            let job = try await JobRecord.find(id, on: db)
        else {
            return false
        }
        await execute(job, token: token, on: db)
        return true
    }

    /// Runs runnable jobs until none is left or `timeout` passes; returns how many ran.
    /// Command-line verbs use it to deliver what they queued before they exit.
    @discardableResult
    public func drain(kinds: [String]? = nil, timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var count = 0
        while ContinuousClock.now < deadline, try await runNext(kinds: kinds) {
            count += 1
        }
        return count
    }

    private func execute(_ job: JobRecord, token: UUID, on db: any Database) async {
        guard let jobID = job.id else { return }
        var jobLogger = logger
        jobLogger[metadataKey: "job_id"] = .string(jobID.uuidString)
        jobLogger[metadataKey: "job_kind"] = .string(job.kind)
        jobLogger[metadataKey: "attempt"] = .stringConvertible(job.attempts)
        let finished = ManagedAtomicFlag()
        let context = JobContext(
            jobID: jobID, attempt: job.attempts, maxAttempts: job.maxAttempts, database: db, logger: jobLogger,
            finisher: JobFinisher(jobID: jobID, leaseToken: token, database: db, clock: clock, finished: finished))
        let heartbeat = Task { [settings, clock] in
            // Renew at a third of the lease so a slow job is not taken over while it still runs.
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(settings.leaseDuration / 3))
                try await JobStore.extendLease(
                    jobID: jobID, leaseToken: token, until: clock.now().addingTimeInterval(settings.leaseDuration),
                    on: db)
            }
        }
        defer { heartbeat.cancel() }
        let start = ContinuousClock.now
        do {
            guard let handler = handlers.withLockedValue({ $0[job.kind] }) else { throw JobError.unknownKind(job.kind) }
            try await handler.run(job.payload, context)
            if !finished.isSet { try await context.finish() }
            jobLogger.info(
                "job succeeded",
                metadata: ["duration_ms": .stringConvertible((ContinuousClock.now - start).milliseconds)])
        } catch JobError.leaseLost {
            jobLogger.warning("job lease lost: another worker has it; effects rolled back")
        } catch {
            await recordFailure(job, token: token, error: error, logger: jobLogger, on: db)
        }
    }

    private func recordFailure(_ job: JobRecord, token: UUID, error: any Error, logger: Logger, on db: any Database)
        async
    {
        guard let jobID = job.id else { return }
        let permanent: Bool
        if case JobError.permanent = error {
            permanent = true
        } else if case JobError.unknownKind = error {
            permanent = true
        } else {
            permanent = false
        }
        let now = clock.now()
        let retryAt: Date? =
            permanent || job.attempts >= job.maxAttempts
            ? nil : now.addingTimeInterval(backoff(afterAttempt: job.attempts))
        let code = Self.errorCode(error)
        do {
            try await JobStore.markFailed(
                jobID: jobID, leaseToken: token, error: code, retryAt: retryAt, at: now, on: db)
        } catch {
            logger.error("could not record a job failure; its lease will lapse and it will run again")
        }
        if retryAt == nil {
            logger.error("job is dead", metadata: ["error": .string(code)])
        } else {
            logger.warning("job failed; will retry", metadata: ["error": .string(code)])
        }
    }

    /// Exponential backoff with ±20% jitter, so failures that happened together do not retry together.
    func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exponential = settings.baseBackoff * pow(2, Double(max(0, attempt - 1)))
        return min(settings.maxBackoff, exponential) * Double.random(in: 0.8...1.2)
    }

    /// A short, log-safe description of a failure.
    static func errorCode(_ error: any Error) -> String {
        (error as? any LogSafeError)?.logDescription ?? String(reflecting: type(of: error))
    }
}

/// A handler with its payload type erased, so the queue can hold handlers of every kind.
struct AnyJobHandler: Sendable {
    let run: @Sendable (Data, JobContext) async throws -> Void

    init<Handler: JobHandler>(_ handler: Handler) {
        run = { data, context in
            let payload: Handler.Payload
            do {
                payload = try JSONDecoder().decode(Handler.Payload.self, from: data)
            } catch {
                throw JobError.permanent("undecodable payload")
            }
            try await handler.run(payload, context: context)
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
