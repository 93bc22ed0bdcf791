import FluentSQLiteDriver
import NIOCore
import SQLKit

/// `INSERT INTO table (columns) VALUES (…), (…), …` written straight into the serializer.
///
/// SQLKit's insert builder holds every value as an `SQLBind` inside a group inside a list and walks that tree to
/// write it; for an import's thousands of rows per batch, building and freeing the tree cost about as much as
/// SQLite's own work on the statement. The bound values, and so what each database stores, are the same.
struct MultiRowInsert: SQLExpression {
    let table: String
    let columns: [String]
    /// Row after row, `columns.count` values each.
    let values: [any Encodable & Sendable]
    /// A unique index's columns: a row that would break it is left out (`ON CONFLICT (…) DO NOTHING`, which SQLite
    /// and PostgreSQL both speak).
    let conflictColumns: [String]
    /// Columns of the rows actually inserted to hand back (`RETURNING`).
    let returning: [String]

    init(
        into table: String, columns: [String], values: [any Encodable & Sendable],
        ignoringConflictsOn conflictColumns: [String] = [],
        returning: [String] = []
    ) {
        precondition(!columns.isEmpty && values.count % columns.count == 0, "a row must have a value for each column")
        self.table = table
        self.columns = columns
        self.values = values
        self.conflictColumns = conflictColumns
        self.returning = returning
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO ")
        SQLIdentifier(table).serialize(to: &serializer)
        serializer.write(" (")
        Self.write(columns, to: &serializer)
        serializer.write(") VALUES ")
        for (index, value) in values.enumerated() {
            let column = index % columns.count
            if column == 0 { serializer.write(index == 0 ? "(" : ", (") } else { serializer.write(", ") }
            serializer.write(bind: value)
            if column == columns.count - 1 { serializer.write(")") }
        }
        if !conflictColumns.isEmpty {
            serializer.write(" ON CONFLICT (")
            Self.write(conflictColumns, to: &serializer)
            serializer.write(") DO NOTHING")
        }
        if !returning.isEmpty {
            serializer.write(" RETURNING ")
            Self.write(returning, to: &serializer)
        }
    }

    /// The same statement as SQLite text with anonymous `?` placeholders, for `rows` rows.
    static func sqliteText(
        into table: String, columns: [String], rows: Int, ignoringConflictsOn conflictColumns: [String],
        returning: [String]
    ) -> String {
        func quoted(_ names: [String]) -> String {
            names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", ")
        }
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var text = "INSERT INTO " + quoted([table]) + " (" + quoted(columns) + ") VALUES "
        text.reserveCapacity(text.utf8.count + rows * (row.utf8.count + 2) + 200)
        for index in 0..<rows {
            if index > 0 { text += ", " }
            text += row
        }
        if !conflictColumns.isEmpty { text += " ON CONFLICT (" + quoted(conflictColumns) + ") DO NOTHING" }
        if !returning.isEmpty { text += " RETURNING " + quoted(returning) }
        return text
    }

    private static func write(_ columns: [String], to serializer: inout SQLSerializer) {
        for (index, column) in columns.enumerated() {
            if index > 0 { serializer.write(", ") }
            SQLIdentifier(column).serialize(to: &serializer)
        }
    }
}

extension SQLDatabase {
    /// Inserts `rows` in statements of at most `rowsPerStatement` rows; `values` appends a row's `columns.count`
    /// values, in the order of `columns`. `ignoringConflictsOn` and `returning` are `MultiRowInsert`'s; the rows
    /// the statements return are handed back.
    @discardableResult
    func insertRows<Row>(
        into table: String, columns: [String], _ rows: some Collection<Row>, rowsPerStatement: Int,
        ignoringConflictsOn conflictColumns: [String] = [], returning: [String] = [],
        values: (Row, inout [any Encodable & Sendable]) throws -> Void
    ) async throws -> [any SQLRow] {
        var returned: [any SQLRow] = []
        var pending: [any Encodable & Sendable] = []
        pending.reserveCapacity(min(rows.count, rowsPerStatement) * columns.count)
        // On SQLite the statement goes straight to the connection, its text made once per row count and its values
        // converted by `SQLiteBinding`; PostgreSQL takes SQLKit's path (its encoder has no such cost). And on SQLite
        // the next statement's rows are built while the previous one runs on the database's thread: the statements
        // still run one after another, in order, but building and executing no longer take turns.
        let sqlite = self as? any SQLiteDatabase
        var sqliteText: (rows: Int, text: String)?
        var running: EventLoopFuture<[SQLiteRow]>?
        func finishRunning() async throws {
            guard let statement = running else { return }
            running = nil
            returned += try await statement.get().map { $0 as any SQLRow }
        }
        func flush() async throws {
            if let sqlite {
                let rowCount = pending.count / columns.count
                if sqliteText?.rows != rowCount {
                    sqliteText = (
                        rowCount,
                        MultiRowInsert.sqliteText(
                            into: table, columns: columns, rows: rowCount, ignoringConflictsOn: conflictColumns,
                            returning: returning)
                    )
                }
                let binds = try pending.map(SQLiteBinding.data)
                try await finishRunning()
                running = sqlite.query(sqliteText!.text, binds)
            } else {
                let statement = MultiRowInsert(
                    into: table, columns: columns, values: pending, ignoringConflictsOn: conflictColumns,
                    returning: returning)
                returned += try await raw("\(statement)").all()
            }
            pending.removeAll(keepingCapacity: true)
        }
        do {
            var count = 0
            for row in rows {
                try values(row, &pending)
                count += 1
                if count == rowsPerStatement {
                    try await flush()
                    count = 0
                }
            }
            if count > 0 { try await flush() }
            try await finishRunning()
        } catch {
            // A statement still running must end before the caller's transaction goes on to roll back.
            if let statement = running { _ = try? await statement.get() }
            throw error
        }
        return returned
    }
}
