import Foundation

/// One content line, `[group.]NAME[;param…]:value`, with its value still as bytes (decoded by the property's
/// own rules: quoted-printable, charset, escapes). Parameters and value are slices of the line: nothing is
/// copied until the builder asks for it.
struct VCardProperty {
    var group: String?
    /// Upper-cased.
    var name: String
    /// The whole line: parameters and value are ranges of it, so a property holds one reference, not three.
    private let line: ArraySlice<UInt8>
    private let parametersStart: Int
    private let colon: Int

    var parameters: VCardParameters { VCardParameters(header: line[parametersStart..<colon]) }
    var value: ArraySlice<UInt8> { line[(colon + 1)...] }

    /// Splits the header from the value at the first colon outside double quotes; nil for a line with no
    /// colon or a name that is not a vCard name.
    static func parse(_ line: ArraySlice<UInt8>) -> VCardProperty? {
        guard let colon = headerEnd(line) else { return nil }
        let header = line[..<colon]
        // The name's piece ends at the first `;` outside quotes; a valid name holds no quote, so at the first `;`.
        let nameEnd = header.firstIndex(of: 0x3B) ?? colon
        guard let (group, name) = groupAndName(header[..<nameEnd]) else { return nil }
        return VCardProperty(
            group: group, name: name, line: line, parametersStart: nameEnd < colon ? nameEnd + 1 : colon, colon: colon)
    }

    /// `[group.]NAME`, trimmed, the group lower-cased and the name upper-cased; nil when either is not made of
    /// vCard name bytes. When the piece is ASCII, on bytes; otherwise its ends may be Unicode spaces, so the
    /// trimming is `String`'s.
    private static func groupAndName(_ piece: ArraySlice<UInt8>) -> (group: String?, name: String)? {
        guard VCardBytes.isASCII(piece) else {
            let trimmed = Array(String(decoding: piece, as: UTF8.self).trimmingSpaces().utf8)
            guard VCardBytes.isASCII(trimmed) else { return nil }
            return groupAndName(trimmed[...])
        }
        let piece = VCardBytes.trimmingSpaces(piece)
        var name = piece
        var group: ArraySlice<UInt8>?
        if let dot = piece.lastIndex(of: 0x2E) {
            group = piece[..<dot]
            name = piece[(dot + 1)...]
        }
        guard !name.isEmpty, name.allSatisfy(isNameByte), group?.allSatisfy({ isNameByte($0) || $0 == 0x2E }) ?? true
        else { return nil }
        return (
            group.map { VCardBytes.string($0, mapping: VCardBytes.lowercased) },
            VCardBytes.string(name, mapping: VCardBytes.uppercased)
        )
    }

    /// Index of the colon ending the header, or nil.
    static func headerEnd(_ line: ArraySlice<UInt8>) -> Int? {
        var quoted = false
        for index in line.indices {
            let byte = line[index]
            if byte == 0x22 { quoted.toggle() }
            if byte == 0x3A, !quoted { return index }
        }
        return nil
    }

    /// The property name (upper-cased, without group) of a line's header, looked at before the line is whole.
    static func name(ofHeader line: ArraySlice<UInt8>) -> String {
        let end = line.firstIndex { $0 == 0x3A || $0 == 0x3B } ?? line.endIndex
        var header = line[..<end]
        // Names are ASCII; only a header with other bytes needs Unicode's idea of white space.
        guard VCardBytes.isASCII(header) else {
            let raw = String(decoding: header, as: UTF8.self).trimmingSpaces()
            let name = raw.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? raw
            return name.uppercased()
        }
        header = VCardBytes.trimmingSpaces(header)
        if let dot = header.lastIndex(of: 0x2E) { header = header[(dot + 1)...] }
        return VCardBytes.string(header, mapping: VCardBytes.uppercased)
    }

    /// Letters, digits, `-` and `_` of ASCII: what vCard names are made of.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
            || byte == 0x5F
    }

    var isQuotedPrintable: Bool {
        guard parameters.mayHold("QUOTED-PRINTABLE") else { return false }
        let isQuotedPrintable = { (item: String) in item == "quoted-printable" }
        return parameters.firstItem(of: "ENCODING", where: isQuotedPrintable) != nil
            || parameters.firstItem(of: "", where: isQuotedPrintable) != nil
    }

    var isBase64: Bool {
        let isBase64 = { (item: String) in item == "b" || item == "base64" }
        return parameters.firstItem(of: "ENCODING", where: isBase64) != nil
            || parameters.firstItem(of: "", where: isBase64) != nil
    }

    /// The label from the types: the first of `TYPE=` values and 2.1's bare parameters that is not a preference,
    /// an encoding or a kind every value of the property has.
    var typeLabel: String? {
        let isLabel = { (item: String) in !item.isEmpty && !Self.ignoredTypes.contains(item) }
        return parameters.firstItem(of: "TYPE", where: isLabel) ?? parameters.firstItem(of: "", where: isLabel)
    }

    private static let ignoredTypes: Set<String> = [
        "pref", "internet", "voice", "quoted-printable", "base64", "b", "8bit", "7bit", "x400",
    ]

    /// The value as text: quoted-printable decoded, then read in the declared charset (UTF-8 when none;
    /// Windows-1252 when the bytes are not UTF-8, as Outlook's undeclared 2.1 exports are).
    var rawText: String {
        let charset = parameters.first("CHARSET")
        guard isQuotedPrintable else { return VCardText.decode(value, charset: charset) }
        return VCardText.decode(VCardText.decodeQuotedPrintable(value)[...], charset: charset)
    }
}

enum VCardText {
    /// Lenient: `=XX` is a byte, `=` before a line break was already removed, and a stray `=` (left where a fold
    /// met a soft line break) is dropped.
    static func decodeQuotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x3D {
                if index + 2 < bytes.endIndex, let high = Hex.value(ofDigit: bytes[index + 1]),
                    let low = Hex.value(ofDigit: bytes[index + 2])
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

    static func decode(_ bytes: ArraySlice<UInt8>, charset: String?) -> String {
        // `ISO_8859-1` → `iso-8859-1`; the underscore swapped on bytes, not through NSString.
        let charset = charset.map {
            String(decoding: $0.lowercased().utf8.map { $0 == 0x5F ? 0x2D : $0 }, as: UTF8.self)
        }
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

    static func utf8OrWindows1252(_ bytes: ArraySlice<UInt8>) -> String {
        // ASCII is valid UTF-8: `String(validating:)` is generic in the standard library (unspecialised, with a
        // metadata look-up per call), `String(decoding:)` of contiguous bytes is not.
        if VCardBytes.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self) ?? windows1252(bytes)
    }

    static func utf8OrWindows1252(_ bytes: [UInt8]) -> String { utf8OrWindows1252(bytes[...]) }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// RFC 6350 §3.4 escapes (`\,` `\;` `\:` `\\` `\n`/`\N`); an unknown escape keeps its backslash.
    static func unescape(_ text: Substring) -> String {
        guard VCardBytes.contains(text.utf8, 0x5C) else { return String(text) }
        if VCardBytes.escapesReadableOnBytes(text.utf8, separator: nil) { return unescapeBytes(text.utf8) }
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

    /// `unescape` on bytes, for text whose escapes are Characters of their own (`escapesReadableOnBytes`): the
    /// same result without building the string one Character at a time.
    private static func unescapeBytes(_ utf8: Substring.UTF8View) -> String {
        String(unsafeUninitializedCapacity: utf8.count) { out in
            var count = 0
            var iterator = utf8.makeIterator()
            while let byte = iterator.next() {
                guard byte == 0x5C else {
                    out[count] = byte
                    count += 1
                    continue
                }
                guard let escaped = iterator.next() else {
                    out[count] = 0x5C
                    count += 1
                    break
                }
                switch escaped {
                case 0x6E, 0x4E:
                    out[count] = 0x0A
                    count += 1
                case 0x2C, 0x3B, 0x3A, 0x5C:
                    out[count] = escaped
                    count += 1
                default:
                    out[count] = 0x5C
                    out[count + 1] = escaped
                    count += 2
                }
            }
            return count
        }
    }

    static func unescape(_ text: String) -> String { unescape(text[...]) }

    /// Splits at `separator`s that are not escaped, keeping the escapes for `unescape`.
    static func splitUnescaped(_ text: String, on separator: Character) -> [Substring] {
        if let byte = separator.asciiValue, VCardBytes.escapesReadableOnBytes(text.utf8, separator: byte) {
            return split(text, walking: text.utf8, backslash: 0x5C, separator: byte)
        }
        return split(text, walking: text, backslash: "\\", separator: separator)
    }

    /// `splitUnescaped` over the text's Characters, or over its bytes when its separators and escapes are
    /// Characters of their own (the same pieces, without stepping Character by Character).
    private static func split<View: Collection>(
        _ text: String, walking view: View, backslash: View.Element, separator: View.Element
    ) -> [Substring] where View.Index == String.Index, View.Element: Equatable {
        var pieces: [Substring] = []
        var start = view.startIndex
        var index = view.startIndex
        var escaped = false
        while index < view.endIndex {
            let element = view[index]
            if escaped {
                escaped = false
            } else if element == backslash {
                escaped = true
            } else if element == separator {
                pieces.append(text[start..<index])
                start = view.index(after: index)
            }
            index = view.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    /// CRLF and lone CR as LF, on UTF-8 bytes (Foundation's `replacingOccurrences` bridged every value to NSString).
    private static func normalizedLineBreaks(_ text: String) -> String {
        guard VCardBytes.contains(text.utf8, 0x0D) else { return text }
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
        // Most values have no blank at either end: ASCII ends that are not blanks need no scalar-by-scalar look.
        if let first = text.utf8.first, let last = text.utf8.last, first < 0x80, last < 0x80, !isBlank(first),
            !isBlank(last),
            !VCardBytes.contains(text.utf8, 0x0D)
        {
            return text
        }
        let text = normalizedLineBreaks(text).trimmingSpacesAndNewlines()
        return text.isEmpty ? nil : text
    }

    /// What `trimmingSpacesAndNewlines()` removes from ASCII: space, tab and LF through CR.
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}
