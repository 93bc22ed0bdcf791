import Foundation
import SQLiteNIO
import Testing

@testable import LoamServer

/// `chat.db` has no fuzz target (issue #10): these wrong, foreign and damaged files stand in for one. Each must give
/// its sentence, never a crash or a count.
@Suite("Reading a wrong or damaged chat.db")
struct IMessageDamagedFileTests {
    typealias Fixture = ChatDatabaseFixture

    static func write(_ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-chatdb-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("chat.db").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func error(reading path: String) async -> IMessageReadError? {
        do throws(IMessageReadError) {
            _ = try await IMessageDatabaseReader(path: path).read()
            return nil
        } catch {
            return error
        }
    }

    /// A database of 400 messages, about 30 pages: enough that damage past page 1 lands in the message table.
    static func closedDatabase() async throws -> String {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        let chat = try await db.chat("+14155550132", participants: [dana])
        try await db.execute("BEGIN")
        for index in 0..<400 {
            try await db.message(
                handle: dana, date: Fixture.appleDate(2020, 1, 1) + Int64(index) * 3_600_000_000_000,
                fromMe: index % 3 == 0, chat: chat,
                text: String(repeating: "words ", count: 40))
        }
        try await db.execute("COMMIT")
        try await db.close()
        return db.path
    }

    /// Bytes from a fixed linear congruential sequence: garbage, the same in every run.
    static func garbage(_ count: Int) -> [UInt8] {
        var state: UInt32 = 0x2545_F491
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    @Test("A missing file says it cannot be opened")
    func missing() async {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-none-\(UUID().uuidString)/chat.db"
        ).path
        #expect(await Self.error(reading: path) == .unreadable)
    }

    @Test("An empty file says it is empty")
    func empty() async throws {
        #expect(await Self.error(reading: try Self.write([])) == .empty)
    }

    @Test("A file that is not SQLite says so, whatever it holds")
    func notSQLite() async throws {
        #expect(
            await Self.error(reading: try Self.write(Array("From dana@example.com Tue Mar  3 10:15:00 2026\n".utf8)))
                == .notSQLite)
        #expect(await Self.error(reading: try Self.write(Self.garbage(8192))) == .notSQLite)
    }

    @Test("A SQLite database of another program names the table it lacks")
    func foreign() async throws {
        let notes = try await Fixture.make(schema: [
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('x')",
        ])
        try await notes.close()
        #expect(await Self.error(reading: notes.path) == .notMessages(missing: "message table"))

        let noDirection = try await Fixture.make(
            schema: Fixture.schema.map { $0.replacingOccurrences(of: "is_from_me INTEGER DEFAULT 0, ", with: "") })
        try await noDirection.close()
        #expect(
            await Self.error(reading: noDirection.path)
                == .notMessages(missing: "is_from_me column in its message table"))
    }

    @Test("A view named message in a foreign database is not mistaken for the table")
    func viewIsNotTable() async throws {
        let schema =
            Fixture.schema.filter { !$0.contains("TABLE message (") && !$0.contains("ON message(") } + [
                "CREATE TABLE m (ROWID INTEGER PRIMARY KEY, handle_id INTEGER, date INTEGER, is_from_me INTEGER)",
                "CREATE VIEW message AS SELECT * FROM m",
            ]
        let db = try await Fixture.make(schema: schema)
        try await db.close()
        #expect(await Self.error(reading: db.path) == .notMessages(missing: "message table"))
    }

    @Test("A copy cut short says so, at any length past the header")
    func truncated() async throws {
        let path = try await Self.closedDatabase()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count > 20 * 4096)
        for length in [50, 100, 4096, bytes.count / 2, bytes.count - 4096] {
            #expect(
                await Self.error(reading: try Self.write(Array(bytes.prefix(length)))) == .truncated, "\(length) bytes")
        }
    }

    @Test("Garbage over the pages after the first gives the damaged-database sentence")
    func garbageInPages() async throws {
        let path = try await Self.closedDatabase()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.replaceSubrange(4096..<bytes.count, with: Self.garbage(bytes.count - 4096))

        let error = await Self.error(reading: try Self.write(bytes))

        guard case .damaged(let detail) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error?.description.hasPrefix("The database is damaged") == true)
    }

    @Test("Garbage in the one page at the root of the message table is caught too")
    func garbageInOnePage() async throws {
        let path = try await Self.closedDatabase()
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        let root = try await connection.query("SELECT rootpage FROM sqlite_master WHERE name = 'message'").first?
            .column("rootpage")?.integer
        try await connection.close()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let start = (try #require(root) - 1) * 4096
        #expect(start > 0)
        bytes.replaceSubrange(start..<start + 4096, with: Self.garbage(4096))

        let error = await Self.error(reading: try Self.write(bytes))

        if case .damaged = error {} else { Issue.record("expected .damaged, got \(String(describing: error))") }
    }

    @Test("Every error is a sentence naming what to do, as ImportError")
    func sentences() {
        let errors: [IMessageReadError] = [
            .unreadable, .empty, .notSQLite, .notMessages(missing: "message table"), .truncated,
            .damaged(detail: "database disk image is malformed"), .busy, .cannotCopy,
        ]
        for error in errors {
            #expect(error.importError.description == error.description)
            #expect(error.description.hasSuffix("."), "\(error)")
        }
    }
}
