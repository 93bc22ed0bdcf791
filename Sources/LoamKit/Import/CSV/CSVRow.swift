/// One CSV record as `CSVRowReader` hands it out: its fields' bytes, unquoted, kept in one buffer so a row of a
/// hundred mostly empty columns (a Google contacts export) costs two allocations, not a hundred strings.
struct CSVRow {
    /// 1-based line where the row starts; a quoted field with line breaks makes a row span several lines.
    var line: Int
    /// Every field's bytes, one after the other.
    var bytes: [UInt8] = []
    /// Where each field ends in `bytes`.
    var ends: [Int] = []
    /// Why the row could not be read whole; its fields are then incomplete and must not be used.
    var problem: CSVRowProblem?

    var count: Int { ends.count }

    func bytes(at index: Int) -> ArraySlice<UInt8> {
        bytes[range(at: index)]
    }

    /// Where field `index` is in `bytes`; empty for a column the row does not reach.
    func range(at index: Int) -> Range<Int> {
        guard index >= 0, index < ends.count else { return 0..<0 }
        return (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    /// The field as text, UTF-8 when its bytes are valid UTF-8, else Windows-1252 (Outlook on Windows writes its
    /// CSV in the ANSI code page); "" for a column the row does not reach (a ragged row).
    subscript(index: Int) -> String {
        let slice = bytes(at: index)
        return slice.isEmpty ? "" : MailHeaderText.decodeRaw(slice)
    }

    /// True when every field is empty, or all are spaces (a line of commas, as spreadsheets leave at the end).
    var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    /// Whether any field from `index` on holds more than spaces.
    func hasContent(from index: Int) -> Bool {
        guard index < ends.count else { return false }
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start...].contains { $0 != 0x20 && $0 != 0x09 }
    }
}

enum CSVRowProblem: Equatable {
    /// The row passed `CSVRowReader.maximumRowBytes` bytes or `maximumFields` fields; it was read past up to the
    /// end of the line where it did, not kept.
    case tooLong
    /// The file ends inside a quoted field: the file was cut, or a field's opening quote was never closed.
    case unterminatedQuote

    var reason: String {
        switch self {
        case .tooLong:
            "a row longer than \(CSVRowReader.maximumRowBytes >> 20) MB or of more than \(CSVRowReader.maximumFields) fields"
        case .unterminatedQuote: "the file ends inside this row's quoted field"
        }
    }
}
