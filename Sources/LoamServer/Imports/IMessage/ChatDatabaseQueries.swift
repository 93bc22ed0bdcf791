/// The SQL the iMessage reader runs, all of it: fixed text built from the constants below, never from the file's
/// content. No statement names `message.text`, `message.attributedBody` or `*`; a test reads `all` to hold that.
///
/// The counting rule, for every message whose `item_type` is 0 (a real message, not "Dana named the chat" or
/// "Bo left"; tapbacks are messages and count):
/// - received (`is_from_me` = 0): one received for its sender, `message.handle_id`, and for nobody else, even in a
///   group chat;
/// - sent (`is_from_me` = 1): one sent for every participant (`chat_handle_join`) of every chat the message is in
///   (`chat_message_join`), so a message to a group of three counts for each of the three; a sent message in no
///   chat with participants counts for its own `handle_id`, the recipient Messages recorded;
/// - a handle is its `handle.id` text, so the SMS and the iMessage handle of one number are one handle, and a
///   message counts once per handle and day however many of its rows reach it;
/// - the day is the UTC day of `message.date`, which is seconds after 2001-01-01 in older databases and nanoseconds
///   in those of macOS 10.13 and later: no date in seconds reaches 10^11 (year 5170), every date in nanoseconds
///   since 1 Jan 2001 00:01:40 does, so the size tells them apart.
enum ChatDatabaseQueries {
    /// Tables and the columns of each the reader needs; a database lacking one is not Messages'.
    static let required: [(table: String, columns: [String])] = [
        ("message", ["handle_id", "date", "is_from_me"]),
        ("handle", ["id"]),
        ("chat_message_join", ["chat_id", "message_id"]),
        ("chat_handle_join", ["chat_id", "handle_id"]),
    ]

    static let tables = "SELECT name FROM sqlite_master WHERE type = 'table'"

    static func columns(of table: String) -> String {
        precondition(required.contains { $0.table == table }, "only the reader's own table names are interpolated")
        return "SELECT name FROM pragma_table_info('\(table)')"
    }

    /// Set on every connection: no write whatever the open flags, no schema function a crafted file could smuggle
    /// in, and five seconds' patience with a lock Messages holds rather than SQLiteNIO's endless retry.
    static let connectionSettings = [
        "PRAGMA query_only = ON", "PRAGMA trusted_schema = OFF", "PRAGMA busy_timeout = 5000",
    ]

    /// Counts per handle and UTC day (days since 1970), ordered by handle then day: one row per pair, so the result
    /// grows with handles and days, never with messages. Each branch joins `handle` itself so that SQLite runs the
    /// union as a co-routine feeding the GROUP BY sorter (which spills to disk), never as a table of every message.
    static func counts(hasItemType: Bool) -> String {
        let counted = "\(eligible(hasItemType)) AND \(dated)"
        return """
            SELECT r.handle AS handle, r.day AS day,
                COUNT(DISTINCT CASE WHEN r.from_me = 1 THEN r.message END) AS sent,
                COUNT(DISTINCT CASE WHEN r.from_me = 0 THEN r.message END) AS received
            FROM (
                SELECT h.id AS handle, \(day) AS day, 0 AS from_me, m.ROWID AS message
                    FROM message m JOIN handle h ON h.ROWID = m.handle_id
                    WHERE \(counted) AND NOT \(fromMe) AND h.id <> ''
                UNION ALL
                SELECT h.id, \(day), 1, m.ROWID
                    FROM message m
                    JOIN chat_message_join cmj ON cmj.message_id = m.ROWID
                    JOIN chat_handle_join chj ON chj.chat_id = cmj.chat_id
                    JOIN handle h ON h.ROWID = chj.handle_id
                    WHERE \(counted) AND \(fromMe) AND h.id <> ''
                UNION ALL
                SELECT h.id, \(day), 1, m.ROWID
                    FROM message m JOIN handle h ON h.ROWID = m.handle_id
                    WHERE \(counted) AND \(fromMe) AND h.id <> '' AND NOT \(hasParticipants)
            ) r
            GROUP BY r.handle, r.day
            ORDER BY r.handle, r.day
            """
    }

    /// Messages the count leaves out, by reason, with the same predicates as `counts`.
    static func skipped(hasItemType: Bool) -> String {
        """
        SELECT
            COALESCE(SUM(CASE WHEN NOT (\(dated)) THEN 1 ELSE 0 END), 0) AS without_date,
            COALESCE(SUM(CASE WHEN \(dated) AND NOT (\(hasOwnHandle) OR (\(fromMe) AND \(hasParticipants))) THEN 1 ELSE 0 END), 0)
                AS without_handle
        FROM message m WHERE \(eligible(hasItemType))
        """
    }

    static func all(hasItemType: Bool) -> [String] {
        [tables] + required.map { columns(of: $0.table) } + connectionSettings
            + [counts(hasItemType: hasItemType), skipped(hasItemType: hasItemType)]
    }

    private static func eligible(_ hasItemType: Bool) -> String {
        hasItemType ? "COALESCE(m.item_type, 0) = 0" : "1 = 1"
    }
    private static let dated = "m.date IS NOT NULL AND CAST(m.date AS INTEGER) > 0"
    private static let fromMe = "(COALESCE(m.is_from_me, 0) <> 0)"
    private static let day = """
        ((CASE WHEN CAST(m.date AS INTEGER) > 100000000000 THEN CAST(m.date AS INTEGER) / 1000000000 \
        ELSE CAST(m.date AS INTEGER) END) + 978307200) / 86400
        """
    /// `h.id <> ''` is false for NULL too: a handle row without an id names nobody.
    private static let hasOwnHandle = "EXISTS (SELECT 1 FROM handle h WHERE h.ROWID = m.handle_id AND h.id <> '')"
    private static let hasParticipants = """
        EXISTS (SELECT 1 FROM chat_message_join cmj JOIN chat_handle_join chj ON chj.chat_id = cmj.chat_id \
        JOIN handle h ON h.ROWID = chj.handle_id WHERE cmj.message_id = m.ROWID AND h.id <> '')
        """
}
