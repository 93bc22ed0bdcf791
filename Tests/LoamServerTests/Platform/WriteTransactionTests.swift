import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import LoamServer

@Suite("Write transactions")
struct WriteTransactionTests {
    @Test("Many read-then-write transactions at once on a SQLite file all commit (no 'database is locked')")
    func concurrentReadThenWrite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-wtx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withLoamApp(adjust: { $0.database = .sqlite(path: folder.appendingPathComponent("loam.sqlite").path) }
        ) { app in
            // `app.db` picks an event loop, and so a connection, on each use: tasks really run side by side.
            let databases = app.databases
            let loops = app.eventLoopGroup
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        let db = databases.database(logger: app.logger, on: loops.any())!
                        try await db.writeTransaction { tx in
                            // Read first, then write: the pattern that fails with a deferred BEGIN.
                            _ = try await User.query(on: tx).count()
                            // Let the other connection read and write in between.
                            try await Task.sleep(for: .milliseconds(5))
                            try await User(email: "u\(index)@example.org", name: "U\(index)", passwordHash: nil).create(
                                on: tx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await User.query(on: app.db).count() == 10)
        }
    }

    @Test("Writers in one process take turns on a SQLite file, nested writes included")
    func writersTakeTurns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-wtx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withLoamApp(adjust: { $0.database = .sqlite(path: folder.appendingPathComponent("loam.sqlite").path) }
        ) { app in
            let databases = app.databases
            let loops = app.eventLoopGroup
            let inside = NIOLockedValueBox((now: 0, most: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let db = databases.database(logger: app.logger, on: loops.any())!
                        try await db.writeTransaction { tx in
                            inside.withLockedValue {
                                $0.now += 1
                                $0.most = max($0.most, $0.now)
                            }
                            try await Task.sleep(for: .milliseconds(10))
                            try await User(email: "t\(index)@example.org", name: "T", passwordHash: nil).create(on: tx)
                            // A write through the gate from inside the transaction must not wait for itself.
                            try await tx.serializedWrite { _ = try await User.query(on: tx).count() }
                            inside.withLockedValue { $0.now -= 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inside.withLockedValue { $0.most } == 1, "two write transactions overlapped")
            #expect(try await User.query(on: app.db).count() == 8)
        }
    }

    @Test("Every connection to a SQLite file runs WAL with synchronous=NORMAL")
    func walAndNormalSyncOnEveryConnection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-wtx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withLoamApp(adjust: { $0.database = .sqlite(path: folder.appendingPathComponent("loam.sqlite").path) }
        ) { app in
            for loop in app.eventLoopGroup.makeIterator() {
                let sql = try #require(app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase)
                #expect(
                    try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                        == "wal")
                // 1 is NORMAL; SQLite's default, FULL (2), would sync the log at every commit.
                #expect(
                    try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) == 1)
            }
        }
    }
}
