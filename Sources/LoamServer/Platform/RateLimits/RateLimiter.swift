import Fluent
import Foundation
import SQLKit
import Vapor

/// One sliding-window limit: at most `count` events per `period` seconds.
struct RateLimit: Sendable, Equatable {
    var count: Int
    var period: TimeInterval
}

/// The limiter every throttled action goes through (mail a user or a client address can cause,
/// failed sign-ins by address, invitations): sliding windows over a log of events per key.
///
/// Check and record are one atomic step: the key's row in `rate_limit_keys` is written first, which
/// on PostgreSQL locks it until the transaction ends and on SQLite takes the database's write lock,
/// so parallel requests for one key queue up and each sees the others' events. Never read-then-write.
struct RateLimiter: Sendable {
    let clock: LoamClock

    /// Records one event for `key` when every limit leaves room, inside `database`'s transaction
    /// (pass a transaction: the lock lasts until it ends). Throws `RateLimitError.exceeded` otherwise.
    func take(_ key: String, limits: [RateLimit], on database: any Database) async throws {
        if let wait = try await attempt(key, limits: limits, on: database) {
            throw RateLimitError.exceeded(retryAfter: wait)
        }
    }

    /// Seconds to wait before `key` has room again, or nil after recording the event.
    func attempt(_ key: String, limits: [RateLimit], on database: any Database) async throws -> TimeInterval? {
        let sql = try database.sql()
        let now = clock.now().timeIntervalSince1970
        try await sql.raw(
            "INSERT INTO rate_limit_keys (name) VALUES (\(bind: key)) ON CONFLICT (name) DO UPDATE SET name = excluded.name"
        ).run()
        let longest = limits.map(\.period).max() ?? 0
        // Events older than every window hold nothing up: each key keeps only what its limits can see.
        try await sql.raw(
            "DELETE FROM rate_limit_events WHERE name = \(bind: key) AND happened_at <= \(bind: now - longest)"
        ).run()
        let rows = try await sql.raw(
            "SELECT happened_at FROM rate_limit_events WHERE name = \(bind: key) AND happened_at > \(bind: now - longest) ORDER BY happened_at DESC"
        ).all()
        let times = try rows.map { try $0.decode(column: "happened_at", as: Double.self) }
        var wait: TimeInterval = 0
        for limit in limits {
            let inWindow = times.filter { $0 > now - limit.period }
            if inWindow.count >= limit.count {
                // Room returns when the oldest event that keeps the window full leaves it.
                let blocking = inWindow[limit.count - 1]
                wait = max(wait, blocking + limit.period - now)
            }
        }
        if wait > 0 { return max(1, wait.rounded(.up)) }
        try await sql.raw(
            "INSERT INTO rate_limit_events (id, name, happened_at) VALUES (\(bind: UUID()), \(bind: key), \(bind: now))"
        ).run()
        return nil
    }

    /// Takes back the newest event of `key` (an attempt reserved before it was known to be a failure).
    func giveBack(_ key: String, on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.raw(
            """
            DELETE FROM rate_limit_events WHERE id IN (SELECT id FROM rate_limit_events WHERE name = \(bind: key) \
            ORDER BY happened_at DESC LIMIT 1)
            """
        ).run()
    }
}

/// A limit was reached: 429 with `Retry-After`, the same for the web and the API.
enum RateLimitError: LoamError, Equatable {
    case exceeded(retryAfter: TimeInterval)

    var status: HTTPResponseStatus { .tooManyRequests }
    var problemType: ProblemType { .tooManyRequests }
    var detail: String {
        switch self {
        case .exceeded(let seconds):
            "Too many requests of this kind. Wait \(Int(seconds.rounded(.up))) seconds and try again."
        }
    }
    var headers: HTTPHeaders {
        switch self {
        case .exceeded(let seconds): ["Retry-After": String(Int(seconds.rounded(.up)))]
        }
    }
}

extension Application {
    var rateLimiter: RateLimiter { RateLimiter(clock: clock) }
}

struct CreateRateLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rate_limit_keys")
            .field("name", .string, .identifier(auto: false))
            .create()
        try await database.schema("rate_limit_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("happened_at", .double, .required)
            .create()
        try await database.sql().raw("CREATE INDEX rate_limit_events_key_at ON rate_limit_events (name, happened_at)")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rate_limit_events").delete()
        try await database.schema("rate_limit_keys").delete()
    }
}
