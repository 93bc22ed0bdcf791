import Foundation

/// Finds a message's header section in buffered bytes, handing each line to the unfolding: past the envelope line to
/// the blank line, stopping at a "From " line that starts the next message. Offsets are from the message's start, so
/// a scan left for more bytes goes on where it stopped after the buffer has been refilled (which moves the message to
/// the buffer's start).
struct HeaderSectionScan {
    enum Outcome {
        /// The section has ended; the body starts here.
        case section(bodyStart: Int)
        /// A "From " line at this offset begins the next message before the section ended.
        case nextMessage(at: Int)
        /// The buffer ends before the scan can tell (a line, or five bytes to check for "From ", are cut).
        case needMore
        /// The section is over `MboxReader.headerLimit`.
        case tooLarge
    }

    /// Where the next line starts.
    private var cursor = 0
    private var sectionStart: Int?
    /// Lines passed, the envelope included.
    private(set) var lines = 0

    mutating func advance(
        in bytes: MailByteBuffer, from start: Int, unfolding unfolded: inout MailHeaderParser.UnfoldedFields
    ) -> Outcome {
        guard let base = bytes.baseAddress else { return .needMore }
        if sectionStart == nil {
            guard let newline = MailBytes.firstIndex(of: 0x0A, in: bytes, (start + cursor)..<bytes.count) else {
                return .needMore
            }
            cursor = newline + 1 - start
            lines = 1
            sectionStart = cursor
        }
        let sectionStart = sectionStart ?? cursor
        while true {
            let lineStart = start + cursor
            guard bytes.count - lineStart >= 5 else { return .needMore }
            if memcmp(base + lineStart, "From ", 5) == 0 { return .nextMessage(at: cursor) }
            guard let newline = MailBytes.firstIndex(of: 0x0A, in: bytes, lineStart..<bytes.count) else {
                return .needMore
            }
            let blank = newline == lineStart || (newline == lineStart + 1 && bytes[lineStart] == 0x0D)
            cursor = newline + 1 - start
            lines += 1
            if blank { return .section(bodyStart: cursor) }
            unfolded.add(line: lineStart..<newline, of: bytes)
            if cursor - sectionStart > MboxReader.headerLimit { return .tooLarge }
        }
    }
}
