import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

extension Application {
    /// Registers the database the configuration names and prepares what it needs to exist
    /// (the SQLite file's folder, a PostgreSQL schema).
    func configureDatabase(_ database: DatabaseConfiguration) async throws {
        // SQL text with bound values is logged at trace only: at the default level no query and
        // no value reaches the log.
        switch database {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try PrivateFiles.makeFolder(folder)
            }
            // SQLite gives its -wal and -shm files the database file's mode: make that 0600 before it opens it.
            try PrivateFiles.prepareFile(path)
            for companion in ["-wal", "-shm", "-journal"] {
                PrivateFiles.narrowFile(path + companion)
            }
            // One connection per event loop: SQLite writes one at a time anyway (see SQLiteWriteGate).
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), as: .sqlite)
            // Write-ahead logging lets `loam serve` and `loam worker` read while the other writes.
            try await (db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
            // In WAL mode, NORMAL syncs the log at checkpoints instead of at every commit (what SQLite's
            // documentation and Rails recommend): a crash of Loam or of the machine never corrupts the
            // database or splits a transaction; a power cut may lose the last commits before a
            // checkpoint. It is a per-connection setting, so it is set on each event loop's connection,
            // which the pool keeps open (one that is reopened after an error is merely slower).
            // cache_size: SQLite's default page cache of 2 MB spilled an import's transactions to disk before their
            // commit (`pagerStress` in a profile of `loam import`); 32 MiB a connection is a ceiling, not an allocation.
            // temp_store: the statement journals of a transaction's multi-row inserts were temporary files, each
            // opened and written; in memory they are a few pages.
            // wal_autocheckpoint: an import's transactions dirty the same people and index pages batch after batch;
            // checkpointing every 10,000 pages (a WAL of up to 40 MB, reused rather than shrunk) instead of every
            // 1,000 copies each of them back to the database fewer times. Never checkpointing was slower still: a
            // long WAL makes every read search it.
            for loop in eventLoopGroup.makeIterator() {
                if let connection = databases.database(logger: logger, on: loop) as? any SQLDatabase {
                    try await connection.raw("PRAGMA synchronous=NORMAL").run()
                    try await connection.raw("PRAGMA cache_size=-32768").run()
                    try await connection.raw("PRAGMA temp_store=MEMORY").run()
                    try await connection.raw("PRAGMA wal_autocheckpoint=10000").run()
                }
            }
        case .sqliteInMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url, let schema):
            var postgres: SQLPostgresConfiguration
            do {
                postgres = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ConfigurationError(
                    variable: "DATABASE_URL",
                    expected: "a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/loam")
            }
            if let schema { postgres.searchPath = [schema] }
            databases.use(
                // Fluent's default is one connection per event loop: two in all on two cores, which the
                // worker's sixteen jobs and the requests would queue for. PostgreSQL serves many at once.
                .postgres(
                    configuration: postgres, maxConnectionsPerEventLoop: 8, connectionPoolTimeout: .seconds(5),
                    sqlLogLevel: .trace),
                as: .psql)
            if let schema {
                try await (db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
        }
    }
}
