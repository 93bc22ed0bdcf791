import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// One writer at a time per SQLite file within this process, waited for without holding a thread.
///
/// SQLite lets one connection write at a time. sqlite-nio answers a busy database with a handler that
/// retries at once, forever, on a thread of the blocking pool (two threads on two cores). Two of our
/// own connections wanting the lock together then spin a thread each while the holder waits for a
/// thread to commit on: a burst of mail took seconds per mail before this gate. Writers in this
/// process queue here instead, in order and asynchronously; the busy handler only still meets writers
/// from other processes (`loam serve` next to `loam worker`), which are rare and short.
///
/// PostgreSQL and in-memory SQLite (the tests' shared-cache databases) pass straight through.
///
/// The gates are process-wide on purpose, not owned by an application: the lock they queue for is the SQLite
/// file's, and several applications in one process may open the same file (a test's apps, `loam import` beside
/// the worker of the same process); a gate per application would let them spin against each other again.
enum SQLiteWriteGate {
    private static let gates = NIOLockedValueBox<[String: AsyncGate]>([:])

    /// Runs `body` holding the gate of `database`'s file; `body` learns whether the database is a SQLite file.
    ///
    /// Inside a transaction there is nothing to wait for: every transaction on a SQLite file is a
    /// `writeTransaction`, which entered the gate before it began and holds the write lock already.
    /// (A task-local "held" mark would not do: Fluent runs a transaction's body behind an event-loop
    /// future, in a task that does not inherit the caller's task-local values.)
    static func withWriteAccess<T: Sendable>(
        to database: any Database, _ body: (_ isSQLiteFile: Bool) async throws -> T
    ) async throws -> T {
        guard let path = try await filePath(of: database) else { return try await body(false) }
        if database.inTransaction { return try await body(true) }
        let gate = gates.withLockedValue { gates in
            if let gate = gates[path] { return gate }
            let gate = AsyncGate()
            gates[path] = gate
            return gate
        }
        await gate.enter()
        do {
            let result = try await body(true)
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// The main database file, or nil for PostgreSQL and in-memory SQLite.
    private static func filePath(of database: any Database) async throws -> String? {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return nil }
        let rows = try await sql.raw("PRAGMA database_list").all()
        for row in rows where (try? row.decode(column: "name", as: String.self)) == "main" {
            let file = try row.decode(column: "file", as: String?.self) ?? ""
            return file.isEmpty ? nil : file
        }
        return nil
    }
}

/// A first-come, first-served async mutex.
actor AsyncGate {
    private var isHeld = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard isHeld else {
            isHeld = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func leave() {
        if waiters.isEmpty {
            isHeld = false
        } else {
            // Ownership passes straight to the next waiter, so no newcomer can overtake it.
            waiters.removeFirst().resume()
        }
    }
}
