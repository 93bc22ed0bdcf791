/// A CSV file's header row, its columns found by name, never by position: exports add, drop and reorder columns
/// between versions (Google's 2020 layout, LinkedIn's URL column, Outlook's desktop and web layouts).
struct CSVHeader {
    /// Each column's name as a key: letters and digits only, lowercased, so `E-mail 1 - Value`, `Email 1 Value`
    /// and `"e-mail 1 - value "` are one name.
    let keys: [String]
    private let indexByKey: [String: Int]

    init(_ row: CSVRow) {
        keys = (0..<row.count).map { Self.key(row[$0]) }
        var index: [String: Int] = [:]
        for (position, key) in keys.enumerated() where !key.isEmpty && index[key] == nil { index[key] = position }
        indexByKey = index
    }

    static func key(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        )
        .lowercased()
    }

    var count: Int { keys.count }

    func contains(_ key: String) -> Bool { indexByKey[key] != nil }

    /// The column of the first of `keys` the header has.
    func column(_ keys: String...) -> Int? {
        keys.lazy.compactMap { indexByKey[$0] }.first
    }

    /// Numbered columns (`E-mail 1 - Value`, `E-mail 2 - Value`…) in number order: `prefix` + n + `suffix`.
    func numbered(prefix: String, suffix: String) -> [(number: Int, column: Int)] {
        keys.enumerated().compactMap { position, key in
            guard key.hasPrefix(prefix), key.hasSuffix(suffix), key.count > prefix.count + suffix.count,
                let number = Int(key.dropFirst(prefix.count).dropLast(suffix.count)), indexByKey[key] == position
            else { return nil }
            return (number, position)
        }.sorted { $0.number < $1.number }
    }

    /// The first header row, among the rows that start in `prefix` (a file's first bytes, UTF-8 or UTF-16 with its
    /// byte order mark), that `matches` accepts: what each contacts reader's `looksLike` asks. A file whose header
    /// comes later, or binary junk, is no match.
    static func find(in prefix: [UInt8], where matches: (CSVHeader) -> Bool) -> Bool {
        var text = prefix
        if let utf16 = UTF16ToUTF8Source(source: ByteArraySource([]), firstBytes: prefix) {
            text = (try? utf16.read(upToCount: prefix.count * 2)) ?? []
        }
        let rows = CSVRowReader(bytes: text)
        var seen = 0
        while seen < maximumRowsBeforeHeader, let row = try? rows.next() {
            seen += 1
            if row.count > 1, matches(CSVHeader(row)) { return true }
        }
        return false
    }

    /// LinkedIn puts a preamble of three or four lines above its header; a few more are allowed for hand edits.
    static let maximumRowsBeforeHeader = 16
}
