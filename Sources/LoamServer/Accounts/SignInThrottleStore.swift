import Fluent
import Foundation
import LoamKit
import SQLKit

/// The per-address back-off of `SignInThrottle`, kept by the address that was tried, whether or not
/// an account has it: an unknown address is throttled exactly like a known one, so a 429 tells nothing.
///
/// An attempt is counted before its password is checked (`reserve`) and forgiven when it turns out
/// right (`clear`). Counting first is what makes the throttle hold under parallel requests: the row is
/// locked (PostgreSQL) or the database write-locked (SQLite) while the count is read and raised, so
/// thirty guesses sent at once meet the same count one after another, never a stale copy.
struct SignInThrottleStore: Sendable {
    let clock: LoamClock
    var throttle = SignInThrottle()

    /// The key for an address: its SHA-256, so addresses nobody has an account for are not kept in clear.
    static func key(for email: String) -> String { User.digest(ofEmail: email, purpose: "sign-in") }

    /// Counts one attempt for `email`, or throws `AccountError.throttled` when it must wait. Runs in the
    /// caller's write transaction, which holds the row's lock until it ends.
    func reserve(_ email: String, on tx: any Database) async throws {
        let key = Self.key(for: email)
        let now = clock.now()
        let sql = try tx.sql()
        try await sql.raw(
            """
            INSERT INTO sign_in_throttles (email_key, failures, last_failure_at) VALUES (\(bind: key), 0, 0) \
            ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key
            """
        ).run()
        let row = try await sql.raw(
            "SELECT failures, last_failure_at FROM sign_in_throttles WHERE email_key = \(bind: key)"
        ).first()
        let failures = try row?.decode(column: "failures", as: Int.self) ?? 0
        let last = try row?.decode(column: "last_failure_at", as: Double.self) ?? 0
        if failures > 0,
            let wait = throttle.retryAfter(
                consecutiveFailures: failures, lastFailureAt: Date(timeIntervalSince1970: last), now: now)
        {
            throw AccountError.throttled(retryAfter: wait)
        }
        try await sql.raw(
            """
            UPDATE sign_in_throttles SET failures = failures + 1, last_failure_at = \(bind: now.timeIntervalSince1970) \
            WHERE email_key = \(bind: key)
            """
        ).run()
    }

    /// Takes back one attempt that was counted but never checked (every hashing slot was busy).
    func forgive(_ email: String, on tx: any Database) async throws {
        try await tx.sql().raw(
            "UPDATE sign_in_throttles SET failures = failures - 1 WHERE email_key = \(bind: Self.key(for: email)) AND failures > 0"
        ).run()
    }

    /// Forgets the failures of `email`: a right password, a reset, or an operator lifting a restriction.
    /// Runs in the caller's write transaction.
    func clear(_ email: String, on tx: any Database) async throws {
        try await tx.sql().raw("DELETE FROM sign_in_throttles WHERE email_key = \(bind: Self.key(for: email))").run()
    }

    /// How many attempts in a row failed (or are being checked) for `email`.
    func failures(_ email: String, on database: any Database) async throws -> Int {
        let row = try await database.sql().raw(
            "SELECT failures FROM sign_in_throttles WHERE email_key = \(bind: Self.key(for: email))"
        ).first()
        return try row?.decode(column: "failures", as: Int.self) ?? 0
    }
}

struct CreateSignInThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_throttles")
            .field("email_key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("last_failure_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_throttles").delete()
    }
}
