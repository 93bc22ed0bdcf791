import Foundation

/// Finds where a message body ends in buffered bytes: the next "From " line that follows a blank line. Bodies are
/// most of an mbox and are never read, so this is the reader's innermost loop. It compares 16 bytes at a time with
/// LF, counting the matches (for line numbers) and checking whether any ends a blank line (a line feed after a line
/// feed, or after a CR that may follow one); only such blocks, a few per body, are looked at byte by byte. A
/// `memchr` per line cost more than that on lines of 70 bytes; so did testing 8 bytes at a time as integers.
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
            let blank =
                isLineStart(newline) || (newline > start && bytes[newline - 1] == 0x0D && isLineStart(newline - 1))
            guard blank else { return nil }
            let next = newline + 1
            guard next + 5 <= count, memcmp(base + next, "From ", 5) != 0 else {
                return Result(stop: next, lines: lines, afterBlank: true, open: false)
            }
            return nil
        }

        // The first byte by itself: the blocks below look one byte back, which must not be before `start`.
        if bytes[start] == 0x0A, let result = passLineFeed(at: start) { return result }
        var index = start + 1
        let lineFeed = SIMD16<UInt8>(repeating: 0x0A)
        let carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
        // A comparison's lanes as two words: a true lane of a `SIMDMask` is all ones, so a word's set bits are
        // eight per matching byte. (Swift has no movemask; this keeps the loop in vector registers.)
        func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD2<UInt64> { unsafeBitCast(mask, to: SIMD2<UInt64>.self) }
        while index + 16 <= count {
            let block = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
            let newlines = bits(block .== lineFeed)
            if newlines[0] | newlines[1] != 0 {
                let before = UnsafeRawPointer(base + index - 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let blank = newlines & bits(before .== lineFeed .| before .== carriageReturn)
                if blank[0] | blank[1] != 0 {
                    for newline in index..<(index + 16) where bytes[newline] == 0x0A {
                        if let result = passLineFeed(at: newline) { return result }
                    }
                } else {
                    lines += (newlines[0].nonzeroBitCount + newlines[1].nonzeroBitCount) >> 3
                }
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
}
