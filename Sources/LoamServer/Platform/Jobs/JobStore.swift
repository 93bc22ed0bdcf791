import Fluent
import Foundation
import SQLKit

/// The SQL behind the queue. Leasing differs by database (see `JobLeaseStrategy`); the rest is shared.
enum JobStore {
    static func strategy(for database: any Database) -> any JobLeaseStrategy {
        (database as? any SQLDatabase)?.dialect.name == "postgresql" ? PostgresJobLeasing() : SQLiteJobLeasing()
    }

    /// Completes a job only if `leaseToken` still holds it; false when another worker took it over.
    static func markSucceeded(jobID: UUID, leaseToken: UUID, at now: Date, on database: any Database) async throws
        -> Bool
    {
        let sql = try database.sql()
        let rows = try await sql.raw(
            """
            UPDATE jobs SET state = \(bind: JobState.succeeded.rawValue), finished_at = \(bind: now), updated_at = \(bind: now),
                lease_token = NULL, lease_expires_at = NULL, last_error = NULL
            WHERE id = \(bind: jobID) AND lease_token = \(bind: leaseToken) AND state = \(bind: JobState.running.rawValue)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Records a failed attempt: back to the queue at `retryAt`, or dead.
    static func markFailed(
        jobID: UUID, leaseToken: UUID, error: String, retryAt: Date?, at now: Date, on database: any Database
    ) async throws {
        let sql = try database.sql()
        let state = retryAt == nil ? JobState.dead : JobState.queued
        try await database.serializedWrite {
            try await sql.raw(
                """
                UPDATE jobs SET state = \(bind: state.rawValue), run_at = \(bind: retryAt ?? now), last_error = \(bind: String(error.prefix(500))),
                    finished_at = \(bind: retryAt == nil ? now : nil), updated_at = \(bind: now),
                    lease_token = NULL, lease_expires_at = NULL
                WHERE id = \(bind: jobID) AND lease_token = \(bind: leaseToken)
                """
            ).run()
        }
    }

    /// Whether any job is runnable now; a read, so it waits for no writer.
    static func hasRunnable(kinds: [String]?, now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let condition = SQLiteJobLeasing().runnableCondition(kinds: kinds, now: now)
        return try await sql.raw("SELECT 1 AS runnable FROM jobs WHERE \(condition) LIMIT 1").first() != nil
    }

    /// Pushes the lease forward while a long job runs.
    static func extendLease(jobID: UUID, leaseToken: UUID, until expiry: Date, on database: any Database) async throws {
        let sql = try database.sql()
        try await database.serializedWrite {
            try await sql.raw(
                """
                UPDATE jobs SET lease_expires_at = \(bind: expiry)
                WHERE id = \(bind: jobID) AND lease_token = \(bind: leaseToken) AND state = \(bind: JobState.running.rawValue)
                """
            ).run()
        }
    }

}

/// Takes the next runnable job for one worker, so that no two workers ever hold the same job.
protocol JobLeaseStrategy: Sendable {
    func leaseNext(
        kinds: [String]?, token: UUID, now: Date, leaseUntil: Date, on database: any SQLDatabase
    ) async throws -> UUID?
}

extension JobLeaseStrategy {
    /// Runnable: queued and due, or running with a lapsed lease (its worker died).
    func runnableCondition(kinds: [String]?, now: Date) -> SQLQueryString {
        var condition: SQLQueryString = """
            ((state = \(bind: JobState.queued.rawValue) AND run_at <= \(bind: now))
              OR (state = \(bind: JobState.running.rawValue) AND lease_expires_at < \(bind: now)))
            """
        if let kinds, !kinds.isEmpty {
            condition = condition + " AND kind IN (\(binds: kinds))"
        }
        return condition
    }

    func lease(
        lock: SQLQueryString, kinds: [String]?, token: UUID, now: Date, leaseUntil: Date, on sql: any SQLDatabase
    )
        async throws -> UUID?
    {
        let query: SQLQueryString = """
            UPDATE jobs SET state = \(bind: JobState.running.rawValue), lease_token = \(bind: token),
                lease_expires_at = \(bind: leaseUntil), attempts = attempts + 1, updated_at = \(bind: now)
            WHERE id = (SELECT id FROM jobs WHERE \(runnableCondition(kinds: kinds, now: now))
                        ORDER BY run_at, created_at LIMIT 1 \(lock))
            RETURNING id
            """
        guard let row = try await sql.raw(query).first() else { return nil }
        return try row.decode(column: "id", as: UUID.self)
    }
}

/// PostgreSQL: `FOR UPDATE SKIP LOCKED` lets any number of workers in any number of processes
/// take different rows at once without waiting on each other.
struct PostgresJobLeasing: JobLeaseStrategy {
    func leaseNext(kinds: [String]?, token: UUID, now: Date, leaseUntil: Date, on database: any SQLDatabase)
        async throws -> UUID?
    {
        try await lease(
            lock: "FOR UPDATE SKIP LOCKED", kinds: kinds, token: token, now: now, leaseUntil: leaseUntil, on: database)
    }
}

/// SQLite: one writer at a time for the whole database, so the single UPDATE … WHERE id = (SELECT …)
/// statement is already atomic across connections and processes.
struct SQLiteJobLeasing: JobLeaseStrategy {
    func leaseNext(kinds: [String]?, token: UUID, now: Date, leaseUntil: Date, on database: any SQLDatabase)
        async throws -> UUID?
    {
        try await lease(lock: "", kinds: kinds, token: token, now: now, leaseUntil: leaseUntil, on: database)
    }
}
