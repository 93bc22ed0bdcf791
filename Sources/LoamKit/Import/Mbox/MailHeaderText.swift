import Foundation

/// Header bytes to text: raw 8-bit bytes (RFC 6532 UTF-8, or the Latin-1/Windows-1252 of older clients) and RFC 2047
/// encoded words. Never fails: bytes that fit no charset come out as Windows-1252, so a header is never dropped.
enum MailHeaderText {
    /// Bytes as UTF-8 when they are valid UTF-8, else as Windows-1252 (a superset of Latin-1 for printable text).
    static func decodeRaw<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) || isValidUTF8(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return windows1252(bytes)
    }

    static func isValidUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        if let valid = bytes.withContiguousStorageIfAvailable({ MailBytes.isValidUTF8($0) }) { return valid }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Windows-1252 as browsers read it (WHATWG): its five unassigned bytes become the C1 controls, as in Latin-1.
    static func windows1252<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Bytes in a named charset (an encoded word's or a MIME label); `nil` when the charset is unknown or the bytes
    /// are not valid in it.
    static func decode(_ bytes: [UInt8], charset: String) -> String? {
        var name = charset.lowercased().trimmingSpaces()
        // RFC 2231 language suffix: =?utf-8*en?Q?...?=
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
        case "us-ascii", "ascii", "ansi_x3.4-1968", "":
            // Mislabelled 8-bit text is common; read it as raw header bytes are read.
            return decodeRaw(bytes)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "x-cp1252":
            // Mail labelled Latin-1 is often Windows-1252 (curly quotes, €); browsers read it so too.
            return windows1252(bytes)
        default:
            guard let encoding = foundationEncodings[name] else { return nil }
            return String(bytes: bytes, encoding: encoding)
        }
    }

    /// Charsets seen in mail that Foundation can convert (the CFStringEncoding-based ones as raw values; whether a
    /// platform converts them is checked by the conversion itself).
    private static let foundationEncodings: [String: String.Encoding] = [
        "iso-8859-2": .isoLatin2, "latin2": .isoLatin2, "windows-1250": .windowsCP1250, "cp1250": .windowsCP1250,
        "windows-1251": .windowsCP1251, "cp1251": .windowsCP1251, "windows-1253": .windowsCP1253,
        "windows-1254": .windowsCP1254, "shift_jis": .shiftJIS, "shift-jis": .shiftJIS, "sjis": .shiftJIS,
        "x-sjis": .shiftJIS, "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP, "utf-16": .utf16,
        "utf-16be": .utf16BigEndian, "utf-16le": .utf16LittleEndian, "utf-32": .utf32, "macintosh": .macOSRoman,
        "iso-8859-15": cf(0x020F), "latin-9": cf(0x020F), "iso-8859-3": cf(0x0203), "iso-8859-4": cf(0x0204),
        "iso-8859-5": cf(0x0205), "iso-8859-7": cf(0x0207), "iso-8859-9": cf(0x0209), "iso-8859-13": cf(0x020D),
        "koi8-r": cf(0x0A02), "koi8-u": cf(0x0A08), "big5": cf(0x0A03), "gb2312": cf(0x0930), "gbk": cf(0x0631),
        "gb18030": cf(0x0632), "euc-kr": cf(0x0940), "ks_c_5601-1987": cf(0x0940), "windows-1255": cf(0x0505),
        "windows-1256": cf(0x0506), "windows-1257": cf(0x0507), "windows-874": cf(0x041D), "tis-620": cf(0x041D),
    ]

    private static func cf(_ value: UInt) -> String.Encoding { String.Encoding(rawValue: 0x8000_0000 | value) }

    // MARK: - RFC 2047

    /// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) anywhere in `text`, dropping the whitespace between
    /// adjacent ones. A word that does not decode stays as written.
    static func decodeEncodedWords(_ text: String) -> String {
        guard mayHoldEncodedWords(text) else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var result: [UInt8] = []
            appendDecodingEncodedWords(bytes, to: &result)
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// `decodeEncodedWords` from UTF-8 bytes to UTF-8 bytes, appended to `result`: the header parser decodes names
    /// and subjects this way without a `String` in between. An encoded word is ASCII, so it can be found and cut
    /// out without decoding the rest.
    static func appendDecodingEncodedWords(_ bytes: MailByteBuffer, to result: inout [UInt8]) {
        result.reserveCapacity(result.count + bytes.count)
        // The whitespace after an encoded word, held back until it is known whether another one follows.
        var pendingSpace = 0..<0
        var lastWasEncoded = false
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x3D, index + 1 < bytes.count, bytes[index + 1] == 0x3F {
                // The space before an encoded word stays unless another encoded word is before it.
                let heldSpace = lastWasEncoded ? 0 : pendingSpace.count
                if heldSpace > 0 { result.append(contentsOf: MailByteBuffer(rebasing: bytes[pendingSpace])) }
                if let end = appendEncodedWord(bytes, at: index, to: &result) {
                    pendingSpace = end..<end
                    lastWasEncoded = true
                    index = end
                    continue
                }
                result.removeLast(heldSpace)
            }
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = (pendingSpace.isEmpty ? index : pendingSpace.lowerBound)..<(index + 1)
            } else {
                result.append(contentsOf: MailByteBuffer(rebasing: bytes[pendingSpace]))
                pendingSpace = index + 1..<index + 1
                result.append(byte)
                lastWasEncoded = false
            }
            index += 1
        }
        result.append(contentsOf: MailByteBuffer(rebasing: bytes[pendingSpace]))
    }

    /// Whether "=?" occurs in `text`: a scan of its UTF-8, where Foundation's `contains` would bridge to NSString.
    static func mayHoldEncodedWords(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == 0x3D, byte == 0x3F { return true }
            previous = byte
        }
        return false
    }

    static func mayHoldEncodedWords(_ bytes: MailByteBuffer) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == 0x3D, byte == 0x3F { return true }
            previous = byte
        }
        return false
    }

    /// Appends the encoded word starting at `start` ("=?"), decoded, and returns the index after its "?="; `nil`
    /// (with nothing appended) when it is no encoded word.
    private static func appendEncodedWord(_ bytes: MailByteBuffer, at start: Int, to result: inout [UInt8]) -> Int? {
        var index = start + 2
        while index < bytes.count, bytes[index] != 0x3F {
            let byte = bytes[index]
            guard byte < 0x80, byte != 0x20, byte != 0x09, index - start - 2 < 40 else { return nil }
            index += 1
        }
        let charset = MailByteBuffer(rebasing: bytes[(start + 2)..<index])
        guard !charset.isEmpty, index + 2 < bytes.count, bytes[index + 2] == 0x3F else { return nil }
        let encoding = bytes[index + 1]
        index += 3
        let textStart = index
        // The text ends at the first "?=" (lenient: spaces, which broken mailers leave in Q text, are allowed).
        while index + 1 < bytes.count, !(bytes[index] == 0x3F && bytes[index + 1] == 0x3D) { index += 1 }
        guard index + 1 < bytes.count else { return nil }
        let payload = MailByteBuffer(rebasing: bytes[textStart..<index])
        // Decoded straight onto the end of `result`, then checked or converted there.
        let decodedStart = result.count
        let decodes: Bool
        switch encoding {
        case 0x42, 0x62: decodes = appendBase64(payload, to: &result)
        case 0x51, 0x71: decodes = appendQuotedPrintable(payload, to: &result)
        default: return nil
        }
        guard decodes else {
            result.removeSubrange(decodedStart...)
            return nil
        }
        let isValid = result.withUnsafeBufferPointer {
            MailBytes.isValidUTF8(MailByteBuffer(rebasing: $0[decodedStart...]))
        }
        // The usual case, valid UTF-8 labelled so, stays as it is, with no `String` made and taken apart again.
        guard !(isValid && isUTF8Label(charset)) else { return index + 2 }
        let decodedBytes = Array(result[decodedStart...])
        result.removeSubrange(decodedStart...)
        if isUTF8Label(charset) {
            result.append(contentsOf: windows1252(decodedBytes).utf8)
        } else {
            let name = String(decoding: charset, as: UTF8.self)
            result.append(contentsOf: (decode(decodedBytes, charset: name) ?? decodeRaw(decodedBytes)).utf8)
        }
        return index + 2
    }

    /// Whether an encoded word's charset is one `decode` reads as UTF-8 ("utf-8", "UTF8", "utf-8*en", ...). The
    /// charset is ASCII without spaces, so the lowercasing and trimming `decode` does come down to this.
    private static func isUTF8Label(_ charset: MailByteBuffer) -> Bool {
        let name = MailByteBuffer(
            rebasing: charset[..<(MailBytes.firstIndex(of: 0x2A, in: charset, 0..<charset.count) ?? charset.count)])
        return MailBytes.equalsIgnoringCase(name, 0..<name.count, "utf-8")
            || MailBytes.equalsIgnoringCase(name, 0..<name.count, "utf8")
            || MailBytes.equalsIgnoringCase(name, 0..<name.count, "unicode-1-1-utf-8")
    }

    private static func appendQuotedPrintable(_ payload: MailByteBuffer, to bytes: inout [UInt8]) -> Bool {
        var index = payload.startIndex
        while index < payload.endIndex {
            let byte = payload[index]
            if byte == 0x5F {
                bytes.append(0x20)
            } else if byte == 0x3D, index + 2 < payload.endIndex, let high = Hex.value(ofDigit: payload[index + 1]),
                let low = Hex.value(ofDigit: payload[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                // Other bytes, non-ASCII ones included, stand for themselves (as UTF-8, as the old scalar loop did).
                bytes.append(byte)
            }
            index += 1
        }
        return true
    }

    /// Base64 without strictness about padding or stray whitespace, which real encoders get wrong.
    private static func appendBase64(_ payload: MailByteBuffer, to bytes: inout [UInt8]) -> Bool {
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in payload {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B, 0x2D: value = 62  // + (and - of the URL-safe alphabet)
            case 0x2F, 0x5F: value = 63  // / and _
            case 0x3D, 0x20, 0x09: continue  // padding, whitespace
            default: return false
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return true
    }
}
