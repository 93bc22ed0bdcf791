import Foundation
import Logging
import SQLiteNIO

/// Reads a macOS Messages `chat.db` (or an iPhone backup's `sms.db`, the same schema) into message counts per
/// handle and day, and nothing more: the SQL it runs (`ChatDatabaseQueries`) never selects a message's text or
/// body, and SQLite does the counting, so memory grows with handles and days, not with messages.
///
/// The user's files are never written: see `ChatDatabaseFile` for how each combination of `-wal` and `-shm` is
/// opened so that SQLite creates nothing next to them either. Messages written only to the `-wal` are counted.
public struct IMessageDatabaseReader: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Counts every message in the database; throws only `IMessageReadError`.
    public func read() async throws(IMessageReadError) -> IMessageCounts {
        let file = try ChatDatabaseFile(path: path)
        do throws(IMessageReadError) {
            return try await read(file, plan: file.plan)
        } catch let error where file.plan == .sharedReadOnly && Self.mayBeSharedMemory(error) {
            // A `-shm` Loam may not write, with no writer to rebuild it (SQLite then answers CANTOPEN or
            // READONLY_CANTINIT, the latter a plain error in SQLiteNIO's terms): the private copy needs neither.
            return try await read(file, plan: .privateCopy)
        }
    }

    private func read(_ file: ChatDatabaseFile, plan: ChatDatabaseFile.OpenPlan) async throws(IMessageReadError)
        -> IMessageCounts
    {
        var copy: URL?
        defer { if let copy { try? FileManager.default.removeItem(at: copy) } }
        let uri: String
        switch plan {
        case .immutable: uri = ChatDatabaseFile.uri(path: file.path, immutable: true)
        case .sharedReadOnly: uri = ChatDatabaseFile.uri(path: file.path, immutable: false)
        case .privateCopy:
            let made = try file.makePrivateCopy()
            copy = made.folder
            uri = ChatDatabaseFile.uri(path: made.database, immutable: false)
        }

        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: uri), logger: Self.logger)
        } catch {
            throw Self.readError(error)
        }
        do {
            let counts = try await Self.counts(on: connection)
            try? await connection.close()
            return counts
        } catch {
            try? await connection.close()
            throw Self.readError(error)
        }
    }

    private static func counts(on connection: SQLiteConnection) async throws -> IMessageCounts {
        for setting in ChatDatabaseQueries.connectionSettings {
            _ = try await connection.query(setting)
        }
        let hasItemType = try await checkSchema(on: connection)

        let rows = try await connection.query(ChatDatabaseQueries.counts(hasItemType: hasItemType))
        let days = rows.compactMap { row -> MessageDayCount? in
            guard let handle = row.column("handle")?.string, let day = row.column("day")?.integer else { return nil }
            return MessageDayCount(
                handle: handle, day: Date(timeIntervalSince1970: TimeInterval(day) * 86400),
                sent: row.column("sent")?.integer ?? 0, received: row.column("received")?.integer ?? 0)
        }
        let skipped = try await connection.query(ChatDatabaseQueries.skipped(hasItemType: hasItemType)).first
        return IMessageCounts(
            days: days,
            skippedWithoutDate: skipped?.column("without_date")?.integer ?? 0,
            skippedWithoutHandle: skipped?.column("without_handle")?.integer ?? 0)
    }

    /// Throws `notMessages` naming the first table or column missing; returns whether `message.item_type` exists.
    private static func checkSchema(on connection: SQLiteConnection) async throws -> Bool {
        let tables = Set(
            try await connection.query(ChatDatabaseQueries.tables).compactMap { $0.column("name")?.string })
        var hasItemType = false
        for (table, needed) in ChatDatabaseQueries.required {
            guard tables.contains(table) else { throw IMessageReadError.notMessages(missing: "\(table) table") }
            let columns = Set(
                try await connection.query(ChatDatabaseQueries.columns(of: table)).compactMap {
                    $0.column("name")?.string
                })
            if let missing = needed.first(where: { !columns.contains($0) }) {
                throw IMessageReadError.notMessages(missing: "\(missing) column in its \(table) table")
            }
            if table == "message" { hasItemType = columns.contains("item_type") }
        }
        return hasItemType
    }

    private static func mayBeSharedMemory(_ error: IMessageReadError) -> Bool {
        switch error {
        case .unreadable, .damaged: true
        default: false
        }
    }

    /// SQLite's answer in the user's terms. Its messages ("database disk image is malformed") describe pages,
    /// never their content, so they may be shown.
    static func readError(_ error: any Error) -> IMessageReadError {
        if let error = error as? IMessageReadError { return error }
        guard let error = error as? SQLiteError else { return .damaged(detail: String(describing: error)) }
        switch error.reason {
        case .busy, .locked, .busyInRecovery, .busyInSnapshot, .busyTimeout, .lockedBySharedCache:
            return .busy
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenUnfollowedSymlink, .permission, .auth,
            .readOnly, .readonlyCantLock, .readonlyInRecovery, .readonlyDirectory, .ioErrorFailedSharedMemOpen,
            .ioErrorFailedSharedMemSize, .ioErrorFailedSharedMemMap, .ioErrorFailedAccess:
            return .unreadable
        default:
            return .damaged(detail: error.message)
        }
    }

    /// SQLiteNIO logs the path it opens and each statement at debug; a path names the user's home folder, so only
    /// warnings pass.
    private static let logger: Logger = {
        var logger = Logger(label: "loam.imports.imessage")
        logger.logLevel = .warning
        return logger
    }()
}
