import Fluent
import Foundation
import SQLKit

/// One unit of background work. Rows are leased by workers in any process; see `JobQueue`.
final class JobRecord: Model, @unchecked Sendable {
    static let schema = "jobs"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// Which handler runs it (`mail.deliver`, …).
    @Field(key: "kind") var kind: String
    /// The handler's input as JSON: ids, never personal data in clear.
    @Field(key: "payload") var payload: Data
    @Field(key: "state") var state: JobState
    /// Attempts started so far, counting the one running.
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    /// Not before this time (the backoff after a failure).
    @Field(key: "run_at") var runAt: Date
    /// Set while leased: the lease's own random token and when it lapses.
    @OptionalField(key: "lease_token") var leaseToken: UUID?
    @OptionalField(key: "lease_expires_at") var leaseExpiresAt: Date?
    /// The last failure, as a short code or type name: never an address or message content.
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    init(kind: String, payload: Data, runAt: Date, maxAttempts: Int) {
        self.kind = kind
        self.payload = payload
        self.state = .queued
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.runAt = runAt
    }

    /// A queued run of `Handler`: its kind, its encoded payload and its attempts, as every enqueue writes it.
    convenience init<Handler: JobHandler>(_: Handler.Type, payload: Handler.Payload, runAt: Date) throws {
        self.init(
            kind: Handler.kind, payload: try JSONEncoder().encode(payload), runAt: runAt,
            maxAttempts: Handler.maxAttempts)
    }
}

enum JobState: String, Codable, Sendable {
    /// Waiting for `run_at`.
    case queued
    /// Leased by a worker until `lease_expires_at`; a lapsed lease makes it runnable again.
    case running
    case succeeded
    /// Out of attempts, or failed in a way a retry cannot fix. Kept for the operator to see.
    case dead
}

struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobRecord.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("kind", .string, .required)
            .field("payload", .data, .required)
            // A plain string rather than a native enum: the same on SQLite and PostgreSQL.
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("lease_token", .uuid)
            .field("lease_expires_at", .datetime)
            .field("last_error", .string)
            .field("finished_at", .datetime)
            .create()
        // Workers look for runnable rows by state and time.
        try await (database as? any SQLDatabase)?.create(index: "jobs_state_run_at").on(JobRecord.schema)
            .column("state").column("run_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobRecord.schema).delete()
    }
}
