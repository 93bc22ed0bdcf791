import Foundation

/// What the three contacts-CSV readers share: finding the header row, and turning the rows after it into rows to
/// map or skips, so each reader only says which columns mean what.
///
/// Skipped, with their line: a row cut by the end of the file, a row too long to keep, a row of one field where
/// the header has several (a stray line of text), a row with more non-empty fields than the header has columns
/// (an unquoted comma shifted its fields, so every column after it would be wrong). Rows of nothing but commas
/// are passed over silently, as spreadsheets leave them at the end.
final class CSVContactRows {
    enum Item {
        case row(CSVRow)
        case skipped(line: Int, reason: String)
    }

    let totalBytes: Int64
    /// Bytes of the file read; for a UTF-16 file, reckoned from the UTF-8 read (exact at the end), never going back.
    var bytesRead: Int64 {
        guard let transcoder else { return rows.consumed }
        progress = max(progress, transcoder.inputOffset(forOutput: rows.consumed))
        return progress
    }
    let header: CSVHeader
    private let rows: CSVRowReader
    private let transcoder: UTF16ToUTF8Source?
    private var progress: Int64 = 0

    /// Reads up to the header row. Throws `ImportFileError.notThisFormat(expected:)` when the first 4 KB fail
    /// `looksLike` or no row before the data passes `isHeader`.
    init(
        source: any ImportByteSource, expected: String, looksLike: ([UInt8]) -> Bool, isHeader: (CSVHeader) -> Bool
    ) throws {
        totalBytes = source.size
        var first = try source.read(upToCount: CSVRowReader.chunkSize)
        while first.count < Self.detectionBytes {
            let more = try source.read(upToCount: CSVRowReader.chunkSize - first.count)
            if more.isEmpty { break }
            first += more
        }
        guard looksLike(Array(first.prefix(Self.detectionBytes))) else {
            throw ImportFileError.notThisFormat(expected: expected)
        }
        if let utf16 = UTF16ToUTF8Source(source: source, firstBytes: first) {
            transcoder = utf16
            rows = CSVRowReader(source: utf16, firstChunk: try utf16.read(upToCount: CSVRowReader.chunkSize))
        } else {
            transcoder = nil
            rows = CSVRowReader(source: source, firstChunk: first)
        }
        for _ in 0..<CSVHeader.maximumRowsBeforeHeader {
            guard let row = try rows.next() else { break }
            if row.problem == nil, row.count > 1 {
                let candidate = CSVHeader(row)
                if isHeader(candidate) {
                    header = candidate
                    return
                }
            }
        }
        throw ImportFileError.notThisFormat(expected: expected)
    }

    /// How much of a file's start `looksLike` is given (and ImportFormat.detect passes).
    static let detectionBytes = 4096

    /// The next data row, or why one is skipped; nil at the end of the file.
    func next() throws -> Item? {
        while let row = try rows.next() {
            if let problem = row.problem { return .skipped(line: row.line, reason: problem.reason) }
            if row.isBlank { continue }
            if row.count == 1, header.count > 2 {
                return .skipped(
                    line: row.line, reason: "a line of one field where the header has \(header.count) columns")
            }
            if row.count > header.count, row.hasContent(from: header.count) {
                return .skipped(
                    line: row.line,
                    reason: "\(row.count) fields where the header has \(header.count) columns (an unquoted comma?)")
            }
            return .row(row)
        }
        return nil
    }

    /// The next row as a contact, mapped by `record`; a skip for a damaged row or one naming nobody; nil at the end.
    func nextContact(_ record: (CSVRow) -> ContactRecord) throws -> ContactItem? {
        guard let item = try next() else { return nil }
        switch item {
        case .skipped(let line, let reason):
            return .skipped(line: line, reason: reason)
        case .row(let row):
            let contact = record(row)
            guard contact.identifiers.isEmpty, contact.displayName == nil else { return .contact(contact) }
            return .skipped(line: contact.line, reason: "a row with no name and no email, phone or profile")
        }
    }

    /// Name columns as a record's `name`, `givenName` and `familyName`: the file's full-name column when it has
    /// one, else given, middle and family name joined when there is a middle name to keep (the record's
    /// `displayName` joins given and family name itself).
    static func names(_ row: CSVRow, full: Int?, given: Int?, middle: Int?, family: Int?) -> (String?, String?, String?)
    {
        let givenName = text(row, given)
        let familyName = text(row, family)
        var name = text(row, full)
        if name == nil, let middleName = text(row, middle) {
            name = [givenName, middleName, familyName].compactMap { $0 }.joined(separator: " ")
        }
        return (name, givenName, familyName)
    }

    /// A field by column without the spaces and line breaks around it, nil when the column is missing or the field
    /// is empty. Trimmed on bytes, before decoding: Foundation's trimming costs more than the rest of a row.
    static func text(_ row: CSVRow, _ column: Int?) -> String? {
        guard let column else { return nil }
        return withField(row, column) { text(trimming: $0) }
    }

    /// The field's bytes in place: a slice of `row.bytes` per field was a retain and a release each, for every
    /// field of every row.
    private static func withField<T>(
        _ row: CSVRow, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>.SubSequence) -> T
    ) -> T {
        let range = row.range(at: column)
        return row.bytes.withUnsafeBufferPointer { body($0[range]) }
    }

    private static func text(trimming bytes: UnsafeBufferPointer<UInt8>.SubSequence) -> String? {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice.removeFirst() }
        while let last = slice.last, isSpace(last) { slice.removeLast() }
        guard !slice.isEmpty else { return nil }
        // Most fields are ASCII: those are their bytes as they are, what `MailHeaderText.decodeRaw` would give
        // after two generic passes.
        guard slice.allSatisfy({ $0 < 0x80 }) else { return MailHeaderText.decodeRaw(slice) }
        return String(decoding: UnsafeBufferPointer(rebasing: slice), as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// A Google cell holding several values: `a ::: b ::: c`.
    static func values(_ row: CSVRow, _ column: Int?) -> [String] {
        guard let column else { return [] }
        return withField(row, column) { bytes in
            guard bytes.contains(0x3A) else { return text(trimming: bytes).map { [$0] } ?? [] }
            var values: [String] = []
            var start = bytes.startIndex
            var index = start
            while index + 5 <= bytes.endIndex {
                if bytes[index] == 0x20, bytes[index + 1] == 0x3A, bytes[index + 2] == 0x3A, bytes[index + 3] == 0x3A,
                    bytes[index + 4] == 0x20
                {
                    if let value = text(trimming: bytes[start..<index]) { values.append(value) }
                    index += 5
                    start = index
                } else {
                    index += 1
                }
            }
            if let value = text(trimming: bytes[start...]) { values.append(value) }
            return values
        }
    }
}
