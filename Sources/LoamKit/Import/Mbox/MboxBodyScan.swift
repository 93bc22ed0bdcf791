import Foundation
/// Finds where a message body ends in buffered bytes: the next "From " line that follows a blank line. Bodies are
/// most of an mbox and are never read, so this is the reader's innermost loop. It looks at 8 bytes at a time as one
/// integer, counting their line feeds (for line numbers) and checking whether any of them ends a blank line (a line
/// feed after a line feed, or after a CR that may follow one); only such words, a few per body, are looked at byte
/// by byte. A `memchr` per line costs more than that on lines of 70 bytes, and Swift's `SIMD32` lowered to a loop
/// over lanes here.
enum MboxBodyScan {
    struct Result: Equatable {
        /// Where the scan stopped: a line start.
        var stop: Int
        /// Line feeds passed.
        var lines: Int
        /// Whether the line before `stop` is blank: `stop` is a "From " line that ends the body, or too few bytes
        /// are buffered after it to tell.
        var afterBlank: Bool
        /// Whether a line starting at `stop` runs past the buffer.
        var open: Bool
    }

    /// Scans from `start`, which is a line start.
    static func scan(_ bytes: MailByteBuffer, from start: Int) -> Result {
        let count = bytes.count
        guard let base = bytes.baseAddress, start < count else {
            return Result(stop: start, lines: 0, afterBlank: false, open: false)
        }
        var lines = 0

        func isLineStart(_ index: Int) -> Bool { index == start || bytes[index - 1] == 0x0A }

        /// The line feed at `newline` is counted; when it ends a blank line, the body may end after it.
        func passLineFeed(at newline: Int) -> Result? {
            lines += 1
            let blank = isLineStart(newline) || (newline > start && bytes[newline - 1] == 0x0D && isLineStart(newline - 1))
            guard blank else { return nil }
            let next = newline + 1
            guard next + 5 <= count, memcmp(base + next, "From ", 5) != 0 else {
                return Result(stop: next, lines: lines, afterBlank: true, open: false)
            }
            return nil
        }

        // The first byte by itself: the words below look one byte back, which must not be before `start`.
        if bytes[start] == 0x0A, let result = passLineFeed(at: start) { return result }
        var index = start + 1
        /// Handles the word at `index` that holds the line feeds `newlines` (non-zero).
        func passWord(at index: Int, newlines: UInt64) -> Result? {
            let before = UnsafeRawPointer(base + index - 1).loadUnaligned(as: UInt64.self)
            guard newlines & (bytesEqual(before, lineFeeds) | bytesEqual(before, carriageReturns)) != 0 else {
                lines += newlines.nonzeroBitCount
                return nil
            }
            for newline in index..<(index + 8) where bytes[newline] == 0x0A {
                if let result = passLineFeed(at: newline) { return result }
            }
            return nil
        }
        // Two words a turn: most of them (lines are some 70 bytes) hold no line feed at all.
        while index + 16 <= count {
            let first = bytesEqual(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self), lineFeeds)
            let second = bytesEqual(UnsafeRawPointer(base + index + 8).loadUnaligned(as: UInt64.self), lineFeeds)
            if first | second != 0 {
                if first != 0, let result = passWord(at: index, newlines: first) { return result }
                if second != 0, let result = passWord(at: index + 8, newlines: second) { return result }
            }
            index += 16
        }
        while index < count {
            if bytes[index] == 0x0A, let result = passLineFeed(at: index) { return result }
            index += 1
        }
        // The buffer ends: in a line (its start is kept for the next chunk) or at a line's end.
        var lastLineStart = count
        while lastLineStart > start, bytes[lastLineStart - 1] != 0x0A { lastLineStart -= 1 }
        return Result(stop: lastLineStart, lines: lines, afterBlank: false, open: lastLineStart < count)
    }

    private static let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    private static let carriageReturns: UInt64 = 0x0D0D_0D0D_0D0D_0D0D

    /// The high bit of each byte of `word` that equals the byte repeated in `pattern`, and no other bit (the exact
    /// form of the zero-byte test, without the false positives of the short one).
    @inline(__always) private static func bytesEqual(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let difference = word ^ pattern
        return ~(((difference & low7) &+ low7) | difference | low7)
    }
}
