import Foundation
import Testing

@testable import LoamKit

@Suite("CSV rows: RFC 4180 and what real writers do")
struct CSVRowReaderTests {
    /// Every row of `bytes` as (line, fields, problem), read `chunk` bytes at a time.
    static func rows(_ bytes: [UInt8], chunk: Int = 64 * 1024) throws -> [(
        line: Int, fields: [String], problem: CSVRowProblem?
    )] {
        let source = TrickleSource(bytes, chunk: chunk)
        let reader = CSVRowReader(source: source, firstChunk: try source.read(upToCount: chunk))
        var rows: [(Int, [String], CSVRowProblem?)] = []
        while let row = try reader.next() { rows.append((row.line, (0..<row.count).map { row[$0] }, row.problem)) }
        #expect(reader.consumed == Int64(bytes.count))
        return rows
    }

    static func rows(_ text: String, chunk: Int = 64 * 1024) throws -> [(
        line: Int, fields: [String], problem: CSVRowProblem?
    )] {
        try rows(Array(text.utf8), chunk: chunk)
    }

    @Test("Quoted fields keep commas, doubled quotes and line breaks; the next row's line counts the breaks")
    func quoting() throws {
        let rows = try Self.rows("a,\"b, c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x,\"\"\nlast,row,\"\"\"\"\n")
        try #require(rows.count == 3)
        #expect(rows[0].fields == ["a", "b, c", "say \"hi\""])
        #expect(rows[1].fields == ["two\nlines", "x", ""])
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(rows[2].fields == ["last", "row", "\""])
    }

    @Test("CRLF, LF and lone CR all end rows, mixed in one file; a CRLF inside a quoted field is one line")
    func lineEndings() throws {
        let rows = try Self.rows("a,b\r\nc,d\ne,f\rg,\"h\r\ni\"\r\nj,k")
        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h\r\ni"], ["j", "k"]])
        #expect(rows.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test("Whatever the chunk size, a CRLF, a doubled quote or a BOM split across chunks reads the same")
    func chunkBoundaries() throws {
        let text = "\u{FEFF}name,note\r\n\"Dana\",\"one\r\ntwo \"\"q\"\"\"\r\n\r\nJo,x\r\n\"Sam\",\"\"\r\n"
        let whole = try Self.rows(text)
        #expect(whole.map(\.fields) == [["name", "note"], ["Dana", "one\r\ntwo \"q\""], ["Jo", "x"], ["Sam", ""]])
        #expect(whole.map(\.line) == [1, 2, 5, 6])
        for chunk in [3, 4, 5, 7, 11] {
            let pieces = try Self.rows(text, chunk: chunk)
            #expect(pieces.map(\.fields) == whole.map(\.fields), "chunk \(chunk)")
            #expect(pieces.map(\.line) == whole.map(\.line), "chunk \(chunk)")
        }
    }

    @Test("A UTF-8 BOM is dropped from the first field; blank lines are no rows; ragged rows keep their own length")
    func bomBlankRagged() throws {
        let rows = try Self.rows("\u{FEFF}First Name,Last Name,Email\n\n\nDana\nJo,Marsh,jo@example.org,extra\n\n")
        #expect(
            rows.map(\.fields) == [
                ["First Name", "Last Name", "Email"], ["Dana"], ["Jo", "Marsh", "jo@example.org", "extra"],
            ])
        #expect(rows.map(\.line) == [1, 4, 5])
    }

    @Test("A quote inside an unquoted field is kept; bytes after a closing quote join the field (as Python's csv)")
    func strayQuotes() throws {
        let rows = try Self.rows("5\" floppy,\"ab\"cd,e\n")
        #expect(rows.map(\.fields) == [["5\" floppy", "abcd", "e"]])
    }

    @Test("A file that ends inside a quoted field hands out the cut row as unterminated, after the whole ones")
    func unterminated() throws {
        let rows = try Self.rows("a,b\nc,\"never\nclosed")
        try #require(rows.count == 2)
        #expect(rows[0].problem == nil)
        #expect(rows[1].line == 2)
        #expect(rows[1].problem == .unterminatedQuote)
    }

    @Test("A row over 1 MB is dropped up to the end of the line where it passed the limit; reading goes on after it")
    func tooLong() throws {
        let huge = String(repeating: "x", count: CSVRowReader.maximumRowBytes + 10)
        // A quote opened by mistake: without the limit it would swallow every row after it.
        let text = "a,b\nstray,\"\(huge)\nnext,row\nc,d\n"
        let rows = try Self.rows(text)
        try #require(rows.count == 4)
        #expect(rows[1].problem == .tooLong)
        #expect(rows[1].line == 2)
        #expect(rows[1].fields.isEmpty)
        #expect(rows[2].fields == ["next", "row"])
        #expect(rows[2].line == 3)
        #expect(rows[3].fields == ["c", "d"])
    }

    @Test("A row of more than 4096 fields is too long, not an array of a million empty strings")
    func tooManyFields() throws {
        let rows = try Self.rows(String(repeating: ",", count: 200_000) + "\nx,y\n")
        #expect(rows.map(\.problem) == [.tooLong, nil])
        #expect(rows.last?.fields == ["x", "y"])
    }

    @Test("A field that is not UTF-8 is read as Windows-1252; valid UTF-8 stays UTF-8")
    func encodings() throws {
        let bytes: [UInt8] = Array("Caf".utf8) + [0xE9, 0x2C] + [0x93, 0x71, 0x94, 0x2C] + Array("Zoë\n".utf8)
        let rows = try Self.rows(bytes)
        #expect(rows.map(\.fields) == [["Café", "\u{201C}q\u{201D}", "Zoë"]])
    }

    @Test("A last row without a line ending, and one ending in a comma, keep their last (empty) field")
    func lastRow() throws {
        #expect(try Self.rows("a,b\nc,").map(\.fields) == [["a", "b"], ["c", ""]])
        #expect(try Self.rows("a,\"b\"").map(\.fields) == [["a", "b"]])
        #expect(try Self.rows("").isEmpty)
        #expect(try Self.rows("\u{FEFF}").isEmpty)
    }
}
