import Foundation
import Testing

@testable import LoamServer

/// The user's Messages database is read, never written, and nothing of what people wrote leaves it.
@Suite("Reading chat.db leaves it untouched")
struct IMessageReadOnlyTests {
    typealias Fixture = ChatDatabaseFixture

    /// Every file of a folder: its bytes and modification time (`-shm` is shared memory every reader may write,
    /// so only its presence is kept).
    struct FolderState: Equatable {
        var names: Set<String> = []
        var contents: [String: Data] = [:]
        var modified: [String: Date] = [:]

        init(_ folder: URL) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                names.insert(name)
                guard !name.hasSuffix("-shm") else { continue }
                let path = folder.appendingPathComponent(name).path
                contents[name] = try Data(contentsOf: URL(fileURLWithPath: path))
                modified[name] = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            }
        }
    }

    /// Two messages to Dana checkpointed into chat.db, then three more left in chat.db-wal only.
    static func liveDatabase() async throws -> ChatDatabaseFixture {
        let db = try await Fixture.make(wal: true)
        let dana = try await db.handle("+14155550132")
        let chat = try await db.chat("+14155550132", participants: [dana])
        for _ in 0..<2 {
            try await db.message(handle: dana, date: Fixture.appleDate(2024, 5, 1), fromMe: true, chat: chat)
        }
        try await db.checkpoint()
        for _ in 0..<3 {
            try await db.message(handle: dana, date: Fixture.appleDate(2024, 5, 1), fromMe: false, chat: chat)
        }
        return db
    }

    static func copy(_ files: [String], from db: ChatDatabaseFixture) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-chatdb-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in files {
            try FileManager.default.copyItem(
                at: db.folder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// Sent, then received, over every handle and day.
    static func totals(_ counts: IMessageCounts) -> [Int] {
        [counts.days.map(\.sent).reduce(0, +), counts.days.map(\.received).reduce(0, +)]
    }

    @Test(
        "A database Messages has open: what is only in chat.db-wal is counted; chat.db and its -wal keep their bytes and times"
    )
    func liveWAL() async throws {
        let db = try await Self.liveDatabase()
        let walSize = try FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int
        #expect((walSize ?? 0) > 0)
        let before = try FolderState(db.folder)

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(Self.totals(counts) == [2, 3])
        #expect(try FolderState(db.folder) == before)
        try await db.close()
    }

    @Test(
        "chat.db copied alone holds only what was checkpointed: the -wal rows of the other tests are really only there")
    func withoutWAL() async throws {
        let db = try await Self.liveDatabase()
        let folder = try Self.copy(["chat.db"], from: db)
        try await db.close()
        let before = try FolderState(folder)

        let counts = try await IMessageDatabaseReader(path: folder.appendingPathComponent("chat.db").path).read()

        #expect(Self.totals(counts) == [2, 0])
        #expect(try FolderState(folder) == before, "no -wal, -shm or -journal is created next to a WAL-mode database")
    }

    @Test("chat.db and chat.db-wal copied without the -shm: the -wal is read, and no -shm is left in the folder")
    func walWithoutShm() async throws {
        let db = try await Self.liveDatabase()
        let folder = try Self.copy(["chat.db", "chat.db-wal"], from: db)
        try await db.close()
        let before = try FolderState(folder)

        let counts = try await IMessageDatabaseReader(path: folder.appendingPathComponent("chat.db").path).read()

        #expect(Self.totals(counts) == [2, 3])
        #expect(try FolderState(folder) == before)
    }

    @Test("All three files copied, no program holding them: the -wal is read and the folder keeps its files")
    func allThreeCopied() async throws {
        let db = try await Self.liveDatabase()
        let folder = try Self.copy(["chat.db", "chat.db-wal", "chat.db-shm"], from: db)
        try await db.close()
        let before = try FolderState(folder)

        let counts = try await IMessageDatabaseReader(path: folder.appendingPathComponent("chat.db").path).read()

        #expect(Self.totals(counts) == [2, 3])
        #expect(try FolderState(folder) == before)
    }

    @Test("A rollback-journal database (older Macs): bytes and time unchanged, no -journal left")
    func rollbackJournal() async throws {
        let db = try await Fixture.make()
        let dana = try await db.handle("+14155550132")
        try await db.message(
            handle: dana, date: Fixture.appleDate(2015, 7, 4, nanoseconds: false), fromMe: false, chat: nil)
        try await db.close()
        let before = try FolderState(db.folder)
        #expect(before.names == ["chat.db"])

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(Self.totals(counts) == [0, 1])
        #expect(try FolderState(db.folder) == before)
    }

    @Test("A path with a space, a question mark, a hash and a percent sign is opened as the file it names")
    func awkwardPath() async throws {
        let db = try await Self.liveDatabase()
        var totals: [[Int]] = []
        for files in [["chat.db"], ["chat.db", "chat.db-wal", "chat.db-shm"]] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "loam chat?db#\(UUID().uuidString)%20")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in files {
                try FileManager.default.copyItem(
                    at: db.folder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }

            let counts = try await IMessageDatabaseReader(path: folder.appendingPathComponent("chat.db").path).read()

            totals.append(Self.totals(counts))
        }
        try await db.close()
        #expect(totals == [[2, 0], [2, 3]])
    }

    @Test("Marker strings in text and attributedBody appear nowhere in what the reader returns")
    func neverReadsText() async throws {
        let db = try await Fixture.make(wal: true)
        let dana = try await db.handle("+14155550132")
        let chat = try await db.chat("+14155550132", participants: [dana])
        let textMarker = "LOAM-MARKER-TEXT-7f3a9c"
        let bodyMarker = "LOAM-MARKER-BODY-91c2e4"
        let body = Array("streamtyped\u{1}NSAttributedString \(bodyMarker)".utf8)
        try await db.message(
            handle: dana, date: Fixture.appleDate(2024, 2, 2), fromMe: false, chat: chat, text: textMarker, body: body)
        try await db.message(
            handle: dana, date: Fixture.appleDate(2024, 2, 2), fromMe: true, chat: chat, text: textMarker, body: body)

        let counts = try await IMessageDatabaseReader(path: db.path).read()

        #expect(Self.totals(counts) == [1, 1])
        let everything = String(reflecting: counts) + counts.days.map(\.handle).joined()
        #expect(!everything.contains(textMarker) && !everything.contains(bodyMarker))
        for sql in ChatDatabaseQueries.all(hasItemType: true) + ChatDatabaseQueries.all(hasItemType: false) {
            let lowered = sql.lowercased()
            #expect(
                !lowered.contains("text") && !lowered.contains("attributedbody") && !lowered.contains("*"), "\(sql)")
        }
        try await db.close()
    }
}
