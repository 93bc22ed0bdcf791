import Fluent
import Foundation
@testable import LoamServer
import Testing
import Vapor

@Suite("Write transactions")
struct WriteTransactionTests {
    @Test("Many read-then-write transactions at once on a SQLite file all commit (no 'database is locked')")
    func concurrentReadThenWrite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-wtx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withLoamApp(adjust: { $0.database = .sqlite(path: folder.appendingPathComponent("loam.sqlite").path) }) { app in
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
                            try await User(email: "u\(index)@example.org", name: "U\(index)", passwordHash: nil).create(on: tx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await User.query(on: app.db).count() == 10)
        }
    }
}
