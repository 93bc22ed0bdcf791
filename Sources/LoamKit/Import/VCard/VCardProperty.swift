import Foundation

/// One content line, `[group.]NAME[;param…]:value`, with its value still as bytes (decoded by the property's
/// own rules: quoted-printable, charset, escapes).
struct VCardProperty {
    var group: String?
    /// Upper-cased.
    var name: String
    /// Parameter names upper-cased; values as written. 2.1's bare parameters (`TEL;CELL;PREF:`) have the name `""`.
    var parameters: [(name: String, value: String)]
    var value: [UInt8]

    /// Splits the header from the value at the first colon outside double quotes; nil for a line with no
    /// colon or a name that is not a vCard name.
    static func parse(_ line: [UInt8]) -> VCardProperty? {
        guard let colon = headerEnd(line) else { return nil }
        var pieces = splitOutsideQuotes(line[..<colon])
        guard !pieces.isEmpty else { return nil }
        var name = pieces.removeFirst().trimmingSpaces()
        var group: String?
        if let dot = name.lastIndex(of: ".") {
            group = String(name[..<dot]).lowercased()
            name = String(name[name.index(after: dot)...])
        }
        guard !name.isEmpty, name.utf8.allSatisfy(isNameByte), group?.utf8.allSatisfy({ isNameByte($0) || $0 == 0x2E }) ?? true
        else { return nil }
        var parameters: [(name: String, value: String)] = []
        for piece in pieces {
            let piece = piece.trimmingSpaces()
            if piece.isEmpty { continue }
            if let equals = piece.firstIndex(of: "=") {
                let key = piece[..<equals].trimmingSpaces().uppercased()
                var value = piece[piece.index(after: equals)...].trimmingSpaces()
                if value.utf8.count >= 2, value.utf8.first == 0x22, value.utf8.last == 0x22 {
                    value = String(value.dropFirst().dropLast())
                }
                parameters.append((key, value))
            } else {
                parameters.append(("", piece))
            }
        }
        return VCardProperty(group: group, name: asciiUppercased(name), parameters: parameters, value: Array(line[(colon + 1)...]))
    }

    /// Index of the colon ending the header, or nil.
    static func headerEnd(_ line: [UInt8]) -> Int? {
        var quoted = false
        for (index, byte) in line.enumerated() {
            if byte == 0x22 { quoted.toggle() }
            if byte == 0x3A, !quoted { return index }
        }
        return nil
    }

    /// The property name (upper-cased, without group) of a line's header, looked at before the line is whole.
    static func name(ofHeader line: [UInt8]) -> String {
        var end = line.count
        for (index, byte) in line.enumerated() where byte == 0x3A || byte == 0x3B {
            end = index
            break
        }
        var header = line[..<end]
        // Names are ASCII; only a header with other bytes needs Unicode's idea of white space.
        guard header.allSatisfy({ $0 < 0x80 }) else {
            let raw = String(decoding: header, as: UTF8.self).trimmingSpaces()
            let name = raw.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? raw
            return name.uppercased()
        }
        while let first = header.first, first == 0x20 || first == 0x09 { header = header.dropFirst() }
        while let last = header.last, last == 0x20 || last == 0x09 { header = header.dropLast() }
        if let dot = header.lastIndex(of: 0x2E) { header = header[(dot + 1)...] }
        return String(decoding: header.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    /// Letters, digits, `-` and `_` of ASCII: what vCard names are made of.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
    }

    /// Upper-cases an ASCII name (`isNameByte` has checked it) without Unicode's case tables.
    private static func asciiUppercased(_ name: String) -> String {
        String(decoding: name.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    /// Values of `key` (`TYPE=a,b` and repeated `TYPE=` alike), upper-cased key, lower-cased values.
    func values(of key: String) -> [String] {
        parameters.filter { $0.name == key }.flatMap { parameter in
            parameter.value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }
        }
    }

    /// 2.1's bare parameters, lower-cased.
    var bareParameters: [String] { values(of: "") }

    var isQuotedPrintable: Bool {
        (values(of: "ENCODING") + bareParameters).contains("quoted-printable")
    }

    var isBase64: Bool {
        (values(of: "ENCODING") + bareParameters).contains { $0 == "b" || $0 == "base64" }
    }

    /// The label from the types: the first of `TYPE=` values and 2.1's bare parameters that is not a preference,
    /// an encoding or a kind every value of the property has.
    var typeLabel: String? {
        (values(of: "TYPE") + bareParameters).first { !$0.isEmpty && !Self.ignoredTypes.contains($0) }
    }

    private static let ignoredTypes: Set<String> = [
        "pref", "internet", "voice", "quoted-printable", "base64", "b", "8bit", "7bit", "x400",
    ]

    /// The value as text: quoted-printable decoded, then read in the declared charset (UTF-8 when none;
    /// Windows-1252 when the bytes are not UTF-8, as Outlook's undeclared 2.1 exports are).
    var rawText: String {
        let bytes = isQuotedPrintable ? VCardText.decodeQuotedPrintable(value) : value
        let charset = parameters.first { $0.name == "CHARSET" }?.value
        return VCardText.decode(bytes, charset: charset)
    }

    /// The header's `;`-separated pieces, a `;` inside double quotes belonging to its piece; split on bytes (both
    /// are ASCII, so no character is cut) and decoded as UTF-8.
    private static func splitOutsideQuotes(_ header: ArraySlice<UInt8>) -> [String] {
        var pieces: [String] = []
        var start = header.startIndex
        var quoted = false
        for index in header.indices {
            let byte = header[index]
            if byte == 0x22 { quoted.toggle() }
            if byte == 0x3B, !quoted {
                pieces.append(String(decoding: header[start..<index], as: UTF8.self))
                start = index + 1
            }
        }
        pieces.append(String(decoding: header[start...], as: UTF8.self))
        return pieces
    }
}

enum VCardText {
    /// Lenient: `=XX` is a byte, `=` before a line break was already removed, and a stray `=` (left where a fold
    /// met a soft line break) is dropped.
    static func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x3D {
                if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                {
                    out.append(high << 4 | low)
                    index += 3
                } else {
                    index += 1
                }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func decode(_ bytes: [UInt8], charset: String?) -> String {
        // `ISO_8859-1` → `iso-8859-1`; the underscore swapped on bytes, not through NSString.
        let charset = charset.map { String(decoding: $0.lowercased().utf8.map { $0 == 0x5F ? 0x2D : $0 }, as: UTF8.self) }
        switch charset {
        case nil, "utf-8", "utf8", "us-ascii", "ascii":
            return utf8OrWindows1252(bytes)
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "windows-1252", "cp1252", "cp-1252", "x-cp1252":
            return windows1252(bytes)
        default:
            let encodings: [String: String.Encoding] = [
                "utf-16": .utf16, "utf-16le": .utf16LittleEndian, "utf-16be": .utf16BigEndian,
                "iso-8859-2": .isoLatin2, "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251,
                "shift-jis": .shiftJIS, "sjis": .shiftJIS, "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP,
            ]
            if let encoding = charset.flatMap({ encodings[$0] }), let text = String(bytes: bytes, encoding: encoding) {
                return text
            }
            return utf8OrWindows1252(bytes)
        }
    }

    static func utf8OrWindows1252(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? windows1252(bytes)
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// RFC 6350 §3.4 escapes (`\,` `\;` `\:` `\\` `\n`/`\N`); an unknown escape keeps its backslash.
    static func unescape(_ text: Substring) -> String {
        guard text.utf8.contains(0x5C) else { return String(text) }
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                out.append(character)
                continue
            }
            guard let escaped = iterator.next() else {
                out.append("\\")
                break
            }
            switch escaped {
            case "n", "N": out.append("\n")
            case ",", ";", ":", "\\": out.append(escaped)
            default:
                out.append("\\")
                out.append(escaped)
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String { unescape(text[...]) }

    /// Splits at `separator`s that are not escaped, keeping the escapes for `unescape`.
    static func splitUnescaped(_ text: String, on separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    /// CRLF and lone CR as LF, on UTF-8 bytes (Foundation's `replacingOccurrences` bridged every value to NSString).
    private static func normalizedLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == 0x0A, afterCR {
                afterCR = false
                continue
            }
            afterCR = byte == 0x0D
            bytes.append(afterCR ? 0x0A : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Line breaks inside values (QP's `=0D=0A`, escaped `\n`) become `\n`; surrounding blanks go.
    static func clean(_ text: String) -> String? {
        let text = normalizedLineBreaks(text).trimmingSpacesAndNewlines()
        return text.isEmpty ? nil : text
    }
}
