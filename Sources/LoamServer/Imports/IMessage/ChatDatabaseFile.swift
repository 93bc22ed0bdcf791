import Foundation

/// What Loam learns about a `chat.db` before SQLite touches it: that it is a SQLite file at all, that it is as long
/// as its header says, and how it must be opened so that nothing in the user's folder changes.
///
/// SQLite opened read-only still creates files: on a database in WAL mode (Messages' mode) it makes an empty
/// `-wal` and a `-shm` next to the database when they are missing, and leaves them there. So:
/// - no `-wal`, or an empty one with no `-shm`: there is nothing beyond the main file, which is opened
///   `immutable`, meaning no locks, no side files;
/// - `-wal` and `-shm` both present (Messages is running, or all three files were copied): opened in place
///   read-only, taking part in SQLite's locking so a live database reads as one consistent snapshot; both side
///   files exist already, the database and its `-wal` are never written;
/// - a `-wal` with content but no `-shm` (chat.db and chat.db-wal copied without it): the two are copied into a
///   private folder and read there, where SQLite may create what it likes. No program has it open (a live
///   database always has its `-shm`), so the copy is consistent.
struct ChatDatabaseFile {
    enum OpenPlan: Equatable {
        case immutable
        case sharedReadOnly
        case privateCopy
    }

    let path: String
    let plan: OpenPlan

    private static let magic = Array("SQLite format 3\u{0}".utf8)

    /// Reads the first 100 bytes (SQLite's header) and the sizes of the side files; throws the errors a user
    /// can act on before SQLite would answer with a vaguer one.
    init(path: String) throws(IMessageReadError) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let handle = FileHandle(forReadingAtPath: absolute) else { throw .unreadable }
        defer { try? handle.close() }
        let header: Data
        let size: UInt64
        do {
            header = try handle.read(upToCount: 100) ?? Data()
            size = try handle.seekToEnd()
        } catch {
            throw .unreadable
        }
        guard !header.isEmpty else { throw .empty }
        guard header.starts(with: Self.magic) else { throw .notSQLite }
        guard header.count == 100 else { throw .truncated }
        if let expected = Self.declaredSize(header: [UInt8](header)), expected > size { throw .truncated }

        self.path = absolute
        let walSize = Self.size(of: absolute + "-wal")
        let hasShm = Self.size(of: absolute + "-shm") != nil
        switch (walSize, hasShm) {
        case (nil, _), (0, false): plan = .immutable
        case (_, true): plan = .sharedReadOnly
        case (_, false): plan = .privateCopy
        }
    }

    /// Page count times page size, when the header vouches for its page count: SQLite trusts that field only while
    /// the "version valid for" number (offset 92) equals the change counter (offset 24), and so does this.
    static func declaredSize(header: [UInt8]) -> UInt64? {
        func word(_ offset: Int) -> UInt32 {
            header[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard header.count >= 100, word(92) == word(24) else { return nil }
        let rawPageSize = UInt64(header[16]) << 8 | UInt64(header[17])
        let pageSize: UInt64 = rawPageSize == 1 ? 65536 : rawPageSize
        let pages = UInt64(word(28))
        guard pageSize >= 512, pages > 0 else { return nil }
        return pages * pageSize
    }

    private static func size(of path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
    }

    /// The `file:` URI SQLite opens (SQLiteNIO passes `SQLITE_OPEN_URI`): `mode=ro` so no write can happen, with
    /// `immutable=1` when nothing beyond the main file needs reading. Everything but unreserved characters and `/`
    /// is percent-encoded, so a `?` or `#` in a folder's name stays part of the path.
    static func uri(path: String, immutable: Bool) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:\(encoded)?mode=ro" + (immutable ? "&immutable=1" : "")
    }

    /// A folder only this user may enter, holding copies of the database and its `-wal`; the caller removes it.
    func makePrivateCopy() throws(IMessageReadError) -> (folder: URL, database: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-imessage-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let copy = folder.appendingPathComponent("chat.db").path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            // Gone since `init` if Messages quit meanwhile and folded it into chat.db: the main file is then whole.
            if FileManager.default.fileExists(atPath: path + "-wal") {
                try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
            }
            return (folder, copy)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw .cannotCopy
        }
    }
}
