import Foundation
import SQLiteNIO

/// A Messages `chat.db` written by a test, in a folder of its own, through a read-write connection that stays open
/// (as Messages keeps it open) until `close()`.
///
/// The tables and columns are those of a real chat.db, a subset of each: names, types, defaults and indexes as
/// `sqlite3 ~/Library/Messages/chat.db .schema` prints them on macOS 14 (a public dump:
/// github.com/savquinn/savs_ai, project_information/chat_db_info.md; the same tables in iOS 10.2's sms.db:
/// github.com/richinfante/iphonebackuptools, schemas/messages/iOS10.2.sql). Messages' triggers are left out: they
/// call functions only Messages defines.
final class ChatDatabaseFixture {
    let folder: URL
    let path: String
    private let connection: SQLiteConnection
    private var messages = 0

    static let schema = [
        """
        CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT,
            service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service))
        """,
        """
        CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER,
            state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT,
            account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT,
            group_id TEXT)
        """,
        """
        CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
            replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT,
            attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT,
            account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER,
            is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0,
            is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0,
            is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0,
            cache_roomnames TEXT, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT,
            group_action_type INTEGER DEFAULT 0, associated_message_guid TEXT,
            associated_message_type INTEGER DEFAULT 0)
        """,
        """
        CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
            handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id))
        """,
        """
        CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
            message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
            PRIMARY KEY (chat_id, message_id))
        """,
        "CREATE INDEX message_idx_date ON message(date)",
        "CREATE INDEX message_idx_handle ON message(handle_id, date)",
        "CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id)",
        "CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join(handle_id)",
    ]

    /// `wal`: the journal mode Messages uses, with automatic checkpoints off so that what a test writes after
    /// `checkpoint()` lives only in `chat.db-wal` for as long as the fixture is open.
    static func make(wal: Bool = false, schema: [String] = ChatDatabaseFixture.schema) async throws
        -> ChatDatabaseFixture
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-chatdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("chat.db").path
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        if wal {
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA wal_autocheckpoint = 0")
        }
        for statement in schema { _ = try await connection.query(statement) }
        return ChatDatabaseFixture(folder: folder, path: path, connection: connection)
    }

    private init(folder: URL, path: String, connection: SQLiteConnection) {
        self.folder = folder
        self.path = path
        self.connection = connection
    }

    func handle(_ id: String, service: String = "iMessage") async throws -> Int {
        _ = try await connection.query("INSERT INTO handle (id, service) VALUES (?, ?)", [.text(id), .text(service)])
        return try await connection.lastAutoincrementID()
    }

    /// A chat with these participants: style 43 (group) with more than one, 45 (one to one) otherwise, as Messages.
    func chat(_ identifier: String, participants: [Int]) async throws -> Int {
        _ = try await connection.query(
            "INSERT INTO chat (guid, style, chat_identifier, service_name) VALUES (?, ?, ?, 'iMessage')",
            [
                .text("iMessage;\(participants.count > 1 ? "+" : "-");\(identifier)"),
                .integer(participants.count > 1 ? 43 : 45), .text(identifier),
            ])
        let chat = try await connection.lastAutoincrementID()
        for handle in participants {
            _ = try await connection.query(
                "INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)", [.integer(chat), .integer(handle)])
        }
        return chat
    }

    /// `handle` 0 is Messages' "no handle" (a sent message in a group); `date` is stored as given.
    @discardableResult
    func message(
        handle: Int, date: Int64?, fromMe: Bool, chat: Int?, text: String? = "See you at eight", body: [UInt8]? = nil,
        itemType: Int = 0
    ) async throws -> Int {
        messages += 1
        _ = try await connection.query(
            """
            INSERT INTO message (guid, text, attributedBody, handle_id, date, is_from_me, is_sent, is_delivered, item_type, service)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 'iMessage')
            """,
            [
                .text(UUID().uuidString), text.map { .text($0) } ?? .null,
                body.map { .blob(ByteBuffer(bytes: $0)) } ?? .null,
                .integer(handle), date.map { .integer(Int($0)) } ?? .null, .integer(fromMe ? 1 : 0),
                .integer(fromMe ? 1 : 0),
                .integer(itemType),
            ])
        let message = try await connection.lastAutoincrementID()
        if let chat {
            _ = try await connection.query(
                "INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)",
                [.integer(chat), .integer(message), .integer(Int(date ?? 0))])
        }
        return message
    }

    func execute(_ sql: String) async throws {
        _ = try await connection.query(sql)
    }

    /// Moves everything in the `-wal` into chat.db and empties the `-wal`.
    func checkpoint() async throws {
        _ = try await connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    func close() async throws {
        try await connection.close()
    }

    /// A UTC time as `message.date` stores it: seconds since 2001-01-01 00:00 UTC, or nanoseconds since then.
    static func appleDate(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0, _ second: Int = 0,
        nanoseconds: Bool = true
    )
        -> Int64
    {
        let seconds =
            Int64(utcDay(year, month, day).timeIntervalSinceReferenceDate) + Int64(hour * 3600 + minute * 60 + second)
        return nanoseconds ? seconds * 1_000_000_000 : seconds
    }

    static func utcDay(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }
}
