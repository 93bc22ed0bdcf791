import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Runs queued jobs in the background: `concurrency` loops that each lease one job at a time.
///
/// It runs inside `loam serve` and alone as `loam worker`; any number of processes may run one.
public final class JobWorker: Sendable {
    let queue: JobQueue
    let concurrency: Int
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    init(queue: JobQueue, concurrency: Int) {
        self.queue = queue
        self.concurrency = max(1, concurrency)
    }

    public var isRunning: Bool { tasks.withLockedValue { !$0.isEmpty } }

    public func start() {
        tasks.withLockedValue { tasks in
            guard tasks.isEmpty else { return }
            for slot in 0..<concurrency {
                tasks.append(Task { [queue] in await Self.loop(queue: queue, slot: slot) })
            }
        }
        queue.logger.info("job worker started", metadata: ["concurrency": .stringConvertible(concurrency)])
    }

    /// Stops taking new jobs and waits for the ones running to end.
    public func stop() async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        await queue.wakeAll()
        for task in running { await task.value }
    }

    private static func loop(queue: JobQueue, slot: Int) async {
        var consecutiveErrors = 0
        while !Task.isCancelled {
            do {
                if try await queue.runNext() {
                    consecutiveErrors = 0
                    continue
                }
                consecutiveErrors = 0
            } catch {
                // The database is away: back off instead of spinning, and keep trying.
                consecutiveErrors += 1
                if consecutiveErrors == 1 || consecutiveErrors % 30 == 0 {
                    queue.logger.error(
                        "job worker cannot reach the database", metadata: ["slot": .stringConvertible(slot)])
                }
                try? await Task.sleep(for: .seconds(min(30, consecutiveErrors)))
                continue
            }
            await queue.signal.wait(idleInterval: queue.settings.idleInterval)
        }
    }
}

/// Starts the worker when the application boots and stops it (letting running jobs end) on shutdown.
struct JobWorkerLifecycle: LifecycleHandler {
    let worker: JobWorker

    func didBootAsync(_ application: Application) async throws {
        worker.start()
    }

    func shutdownAsync(_ application: Application) async {
        await worker.stop()
    }
}

extension Application {
    private struct JobQueueKey: StorageKey {
        typealias Value = JobQueue
    }

    private struct JobWorkerKey: StorageKey {
        typealias Value = JobWorker
    }

    /// The job queue, set up by `configure`.
    public var jobs: JobQueue {
        get {
            return configured(JobQueueKey.self)
        }
        set { storage[JobQueueKey.self] = newValue }
    }

    /// The background worker of this process (started at boot when the configuration says so).
    public var jobWorker: JobWorker {
        get {
            return configured(JobWorkerKey.self)
        }
        set { storage[JobWorkerKey.self] = newValue }
    }
}
