/// Helpers the JSON export readers share: the first bytes, the mojibake repair, and errors as `ImportFileError`.
enum JSONExportText {
    /// Reads up to `count` bytes, fewer only at the end: detection needs the whole first 4 KB even from a source
    /// that hands out smaller pieces.
    static func firstBytes(of source: any ImportByteSource, count: Int = 4096) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let more = try source.read(upToCount: count - bytes.count)
            if more.isEmpty { break }
            bytes += more
        }
        return bytes
    }

    /// The index after a UTF-8 byte order mark and JSON whitespace.
    static func skipBOMAndWhitespace(_ bytes: [UInt8], from start: Int = 0) -> Int {
        var index = start
        if index == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) { index += 1 }
        return index
    }

    /// Whether `bytes` at `index` spell `word`; the index after it when they do.
    static func match(_ word: String, in bytes: [UInt8], at index: Int) -> Int? {
        let word = Array(word.utf8)
        guard index + word.count <= bytes.count, bytes[index..<index + word.count].elementsEqual(word) else {
            return nil
        }
        return index + word.count
    }

    /// Facebook's "Download Your Information" writes each UTF-8 byte of a non-ASCII character as its own
    /// `\u00XX` escape, so "José" arrives as "JosÃ©". A string whose scalars are all at most U+00FF, some above
    /// U+007F, is re-read as the bytes it spells when those are valid UTF-8; otherwise (a real Latin-1 "José",
    /// whose é alone is not UTF-8) it is left as it is.
    static func repairingMojibake(_ text: String) -> String {
        // On the UTF-8 bytes: a scalar up to U+00FF is one byte below 0x80, or 0xC2 or 0xC3 and one more; any
        // other lead byte is a scalar above U+00FF. (Scalar by scalar, with `String(validating:)`, which is not
        // specialized, this was a fifth of a friend's time.)
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var lead: UInt8?
        for byte in text.utf8 {
            if let high = lead {
                bytes.append((high & 0x03) << 6 | byte & 0x3F)
                lead = nil
            } else if byte < 0x80 {
                bytes.append(byte)
            } else if byte == 0xC2 || byte == 0xC3 {
                lead = byte
            } else {
                return text
            }
        }
        guard MailHeaderText.isValidUTF8(bytes) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` without leading and trailing white space; the same string, untouched, in the usual case of none.
    static func trimmed(_ text: String) -> String { text.trimmingSpacesAndNewlines() }

    /// Whether `text` holds `needle` (ASCII), compared on bytes: Foundation's `contains` bridges through NSString,
    /// which was most of an X entry's time.
    static func contains(_ text: String, ascii needle: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let count = needle.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            let first = needle.utf8Start[0]
            for start in 0...(bytes.count - count) where bytes[start] == first {
                var index = 1
                while index < count, bytes[start + index] == needle.utf8Start[index] { index += 1 }
                if index == count { return true }
            }
            return false
        }
    }

    /// The reader's error for a failure of the stream.
    static func error(_ failure: JSONStream.Failure, stream: JSONStream, format: String) -> ImportFileError {
        switch failure {
        case .truncated: .truncated(line: stream.entryLine ?? stream.line)
        case .damaged(let line, let what):
            .unreadable("line \(line) is not valid JSON (\(what)); is this a \(format) export?")
        }
    }
}
