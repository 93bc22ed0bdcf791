/// Why a `chat.db` could not be read. Each case's description is a sentence for the user, in the style of
/// `ImportFileError` (the caller puts the file's name in front); `importError` is the same sentence as the
/// `ImportError` the import command and the upload page show.
public enum IMessageReadError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or may not be read; on a Mac, `~/Library/Messages` needs Full Disk Access.
    case unreadable
    /// Zero bytes: what a copy of a file Messages had open sometimes leaves.
    case empty
    /// The first bytes are not SQLite's.
    case notSQLite
    /// A SQLite database, but not Messages': `missing` names the first table or column it lacks.
    case notMessages(missing: String)
    /// The header promises more pages than the file holds: the copy stopped early.
    case truncated
    /// SQLite found the pages inconsistent; `detail` is SQLite's own words, which never quote the data.
    case damaged(detail: String)
    /// A `-wal` without its `-shm` is read from a private copy, and the copy could not be made.
    case cannotCopy
    /// Another program holds a lock on the database for longer than the reader waits.
    case busy

    public var description: String {
        switch self {
        case .unreadable:
            "The file cannot be opened. Does it exist, and may Loam read it? On a Mac, the app that runs Loam needs Full Disk Access to read ~/Library/Messages."
        case .empty:
            "The file is empty: it is not a Messages database. Copy chat.db again, with Messages quit."
        case .notSQLite:
            "The file is not a SQLite database, so it is not a Messages chat.db."
        case .notMessages(let missing):
            "The file is a SQLite database but not a Messages chat.db: it has no \(missing)."
        case .truncated:
            "The file is cut short: the database says it is longer than the file. Copy chat.db again, with Messages quit, and import the copy."
        case .damaged(let detail):
            "The database is damaged (SQLite says: \(detail)). Copy chat.db again, together with chat.db-wal, and import the copy."
        case .cannotCopy:
            "Loam could not copy the database and its chat.db-wal to a temporary folder to read them (is the disk full?)."
        case .busy:
            "Another program keeps the database locked. Quit Messages and try again."
        }
    }

    public var importError: ImportError { ImportError.cannotImport(description) }
}
