import Foundation

/// Where Loam keeps its data: the embedded SQLite file by default, PostgreSQL when `DATABASE_URL` is set.
public enum DatabaseConfiguration: Sendable, Equatable {
    /// A SQLite database file (created when missing).
    case sqlite(path: String)
    /// A private in-memory SQLite database, unique to one application (tests).
    case sqliteInMemory
    /// A PostgreSQL server; `schema`, when set, is created if missing and becomes the search path,
    /// so several applications (parallel tests) can share one database without meeting.
    case postgres(url: String, schema: String?)

    public var kind: String {
        switch self {
        case .sqlite, .sqliteInMemory: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Parses `DATABASE_URL`; `nil` means the SQLite default under the data directory.
    static func parse(databaseURL: String?, dataDirectory: String) throws -> DatabaseConfiguration {
        guard let raw = databaseURL?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("loam.sqlite"))
        }
        let expected = "a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/loam"
        guard let url = URLComponents(string: raw), let scheme = url.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql",
            let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError(variable: "DATABASE_URL", expected: expected)
        }
        if let port = url.port, !(1...65535).contains(port) {
            throw ConfigurationError(variable: "DATABASE_URL", expected: expected)
        }
        return .postgres(url: raw, schema: nil)
    }
}
