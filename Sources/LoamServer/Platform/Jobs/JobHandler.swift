import Fluent
import Foundation
import Logging

/// Work that runs in the background: a kind name, a payload, and what to do.
///
/// A handler runs at least once. Whatever it changes in the database it changes inside
/// `context.finish { tx in … }`, which commits those changes together with the job's completion,
/// and only while this worker still holds the lease: a job that ran twice commits its effects once.
/// Effects outside the database (sending a mail) can happen twice after a crash; make them
/// recognisable (a stable Message-ID) or idempotent.
public protocol JobHandler: Sendable {
    associatedtype Payload: Codable & Sendable
    static var kind: String { get }
    /// Attempts before the job is given up as dead.
    static var maxAttempts: Int { get }
    func run(_ payload: Payload, context: JobContext) async throws
}

extension JobHandler {
    public static var maxAttempts: Int { 10 }
}

/// What a running job can use.
public struct JobContext: Sendable {
    public let jobID: UUID
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    public let database: any Database
    public let logger: Logger
    let finisher: JobFinisher

    /// True on the attempt after which a failure makes the job dead.
    public var isLastAttempt: Bool { attempt >= maxAttempts }

    /// Commits `effects` and the job's completion in one transaction. Throws `JobError.leaseLost`
    /// (and commits nothing) when the lease lapsed and another worker may have the job.
    public func finish(_ effects: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        try await finisher.finish(effects)
    }
}

/// An error whose description is safe for logs and the jobs table: codes and counts, no personal data.
public protocol LogSafeError: Error {
    var logDescription: String { get }
}

/// Errors a handler throws to steer retries.
public enum JobError: LogSafeError, CustomStringConvertible {
    /// A retry cannot help (a mailbox that does not exist): the job goes dead at once.
    case permanent(String)
    /// The lease lapsed before the job finished: its effects were rolled back.
    case leaseLost
    case unknownKind(String)

    public var description: String {
        switch self {
        case .permanent(let code): "permanent failure: \(code)"
        case .leaseLost: "lease lost"
        case .unknownKind(let kind): "no handler for job kind \(kind)"
        }
    }

    public var logDescription: String { description }
}

/// Marks a leased job as finished, together with its effects, if the lease is still ours.
struct JobFinisher: Sendable {
    let jobID: UUID
    let leaseToken: UUID
    let database: any Database
    let clock: LoamClock
    let finished: ManagedAtomicFlag

    func finish(_ effects: @escaping @Sendable (any Database) async throws -> Void) async throws {
        let now = clock.now()
        try await database.writeTransaction { tx in
            try await effects(tx)
            let updated = try await JobStore.markSucceeded(jobID: jobID, leaseToken: leaseToken, at: now, on: tx)
            guard updated else { throw JobError.leaseLost }
        }
        finished.set()
    }
}
