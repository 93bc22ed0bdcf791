import Fluent
import SQLKit

extension Database {
    /// A transaction that will write. On a SQLite file it waits its turn among this process's writers
    /// (`SQLiteWriteGate`) and takes the write lock at its first statement.
    ///
    /// Fluent opens SQLite transactions with a plain (deferred) `BEGIN`: a transaction that reads
    /// first and writes later must then upgrade its lock, and in WAL mode SQLite refuses that upgrade
    /// at once ("database is locked") when another connection wrote in between — no busy handler is
    /// consulted. A write that matches no row at the start makes the transaction behave like
    /// `BEGIN IMMEDIATE`: it waits for other writers up front instead of failing half-way.
    /// PostgreSQL and the tests' in-memory SQLite need neither.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws
        -> T
    {
        try await SQLiteWriteGate.withWriteAccess(to: self) { isSQLiteFile in
            try await transaction { tx in
                if isSQLiteFile { try await tx.sql().raw("DELETE FROM _fluent_migrations WHERE 0").run() }
                return try await body(tx)
            }
        }
    }

    /// One writing statement outside a transaction, in turn with this process's other SQLite writers.
    func serializedWrite<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await SQLiteWriteGate.withWriteAccess(to: self) { _ in try await body() }
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
