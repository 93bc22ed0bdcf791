import Fluent
import SQLKit

extension Database {
    /// A transaction that will write. On SQLite it takes the write lock at its first statement.
    ///
    /// Fluent opens SQLite transactions with a plain (deferred) `BEGIN`: a transaction that reads
    /// first and writes later must then upgrade its lock, and in WAL mode SQLite refuses that upgrade
    /// at once ("database is locked") when another connection wrote in between — no busy handler is
    /// consulted. A write that matches no row at the start makes the transaction behave like
    /// `BEGIN IMMEDIATE`: it waits for other writers up front instead of failing half-way.
    /// PostgreSQL needs nothing of the kind.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            // Only a WAL database file has the problem; the in-memory databases of the tests share a
            // cache with table-level locks instead, where taking the lock early only adds waiting.
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite",
                let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self),
                mode.lowercased() == "wal"
            {
                try await sql.raw("DELETE FROM _fluent_migrations WHERE 0").run()
            }
            return try await body(tx)
        }
    }
}

/// Raw SQL was asked of a database that does not speak it (never the case with SQLite or PostgreSQL).
struct NotAnSQLDatabase: Error {}

extension Database {
    /// This database as SQLKit sees it, for the few statements Fluent cannot express.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
        return sql
    }
}
