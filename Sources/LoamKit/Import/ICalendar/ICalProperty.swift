import Foundation

/// One unfolded content line, `NAME[;param…]:value` (RFC 5545 §3.1), with the value decoded to text but its
/// escapes kept: only TEXT values are unescaped, and a comma-separated list must be split first.
struct ICalProperty {
    /// Upper-cased.
    var name: String
    var value: String
    var line: Int
    /// The line's bytes from the `;` after the name to the colon: parameters are read from them when asked for
    /// (a few of an ATTENDEE's five are ever read, and making Strings of all of them cost more than the rest).
    private let header: ArraySlice<UInt8>
    /// The last parameter's value when Outlook's unquoted TZID swallowed part of the value (see `init`).
    private var lastParameterValue: String?

    /// The header splits at the first colon outside double quotes, so `CN="Oster, Dana: Sales"` stays whole.
    /// Nil for a line that is not a content line. Undeclared 8-bit text that is not UTF-8 is read as
    /// Windows-1252, as old Outlook exports need.
    init?(bytes: [UInt8], line: Int) {
        // On bytes, not Strings: this runs for every kept line, and Foundation's trimming is slow on Linux.
        var colon: Int?
        var nameEnd: Int?
        var quoted = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x22 { quoted.toggle() }
            guard !quoted, byte == 0x3B || byte == 0x3A else { continue }
            if nameEnd == nil { nameEnd = index }
            if byte == 0x3A {
                colon = index
                break
            }
        }
        guard let colon, let nameEnd else { return nil }
        let name = Self.trimmed(bytes[..<nameEnd])
        guard !name.isEmpty, name.allSatisfy(Self.isNameByte) else { return nil }
        self.name = String(decoding: name.map(ICalASCII.uppercased), as: UTF8.self)
        header = bytes[nameEnd..<colon]
        value = Self.text(bytes[(colon + 1)...])
        self.line = line
        // Outlook.com writes TZID=tzone://Microsoft/Utc unquoted: a date value has no colon, so the last one
        // ends the header.
        if Self.dateProperties.contains(self.name), let colon = value.lastIndex(of: ":"),
            value.first?.isNumber == false,
            let last = lastParameter, last.name == "TZID"
        {
            lastParameterValue = last.value + ":" + value[..<colon]
            value = String(value[value.index(after: colon)...])
        }
    }

    /// The `;name=value` piece of the header after `position` (a `;`, or the header's end), moving `position` to
    /// its end: the name trimmed, the value trimmed and without the double quotes around it. Pieces without `=` are
    /// no parameters and are passed over; nil after the last.
    private func parameter(after position: inout Int) -> (
        start: Int, name: ArraySlice<UInt8>, value: ArraySlice<UInt8>
    )? {
        while position < header.endIndex {
            let start = position
            var index = position + 1
            var quoted = false
            while index < header.endIndex {
                let byte = header[index]
                if byte == 0x22 { quoted.toggle() } else if byte == 0x3B, !quoted { break }
                index += 1
            }
            position = index
            let piece = header[(start + 1)..<index]
            guard let equals = piece.firstIndex(of: 0x3D) else { continue }
            var value = Self.trimmed(piece[(equals + 1)...])
            if value.count >= 2, value.first == 0x22, value.last == 0x22 { value = value.dropFirst().dropLast() }
            return (start, Self.trimmed(piece[..<equals]), value)
        }
        return nil
    }

    private var lastParameter: (start: Int, name: String, value: String)? {
        var position = header.startIndex
        var last: (start: Int, name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)?
        while let piece = parameter(after: &position) { last = piece }
        return last.map {
            ($0.start, String(decoding: $0.name.map(ICalASCII.uppercased), as: UTF8.self), Self.text($0.value))
        }
    }

    /// UTF-8, or Windows-1252 when the bytes are not UTF-8; ASCII (nearly every value) without a copy to check.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return VCardText.utf8OrWindows1252(Array(bytes))
    }

    private static let dateProperties: Set<String> = ["DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "RDATE", "EXDATE"]

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D
            || byte == 0x5F || byte == 0x2E
    }

    /// The first parameter of that (upper-cased) name.
    func parameter(_ name: String) -> String? {
        var position = header.startIndex
        let wanted = name.utf8
        while let piece = parameter(after: &position) {
            guard piece.name.count == wanted.count,
                zip(piece.name, wanted).allSatisfy({ ICalASCII.uppercased($0) == $1 })
            else {
                continue
            }
            if let lastParameterValue, piece.start == lastParameter?.start { return lastParameterValue }
            return Self.text(piece.value)
        }
        return nil
    }

    /// A TEXT value (SUMMARY, DESCRIPTION, LOCATION) with `\n` `\,` `\;` `\\` undone; nil when blank.
    var text: String? {
        VCardText.clean(Self.unescaped(value))
    }

    /// `VCardText.unescape` on bytes. Where every escape has ASCII on either side a Character is a byte there, and
    /// both give the same; otherwise (a combining mark after an escaped letter, say) `unescape` itself runs.
    static func unescaped(_ value: String) -> String {
        var value = value
        let fast: String?? = value.withUTF8 { bytes in
            guard bytes.contains(0x5C) else { return .some(nil) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x5C else {
                    out.append(byte)
                    index += 1
                    continue
                }
                if index > 0, bytes[index - 1] >= 0x80 { return nil }
                guard index + 1 < bytes.count else {
                    out.append(0x5C)
                    break
                }
                let escaped = bytes[index + 1]
                if escaped >= 0x80 || (index + 2 < bytes.count && bytes[index + 2] >= 0x80) { return nil }
                switch escaped {
                case 0x6E, 0x4E: out.append(0x0A)
                case 0x2C, 0x3B, 0x3A, 0x5C: out.append(escaped)
                default: out += [0x5C, escaped]
                }
                index += 2
            }
            return .some(String(decoding: out, as: UTF8.self))
        }
        switch fast {
        case .some(.some(let text)): return text
        case .some(.none): return value
        case .none: return VCardText.unescape(value)
        }
    }

    /// RFC 6868 parameter escapes, which Apple Calendar writes in CN: `^'` a double quote, `^n` a line break
    /// (read as a space in a name), `^^` a caret.
    static func decodeParameter(_ value: String) -> String {
        guard value.utf8.contains(0x5E) else { return value }
        var out = ""
        var iterator = value.makeIterator()
        while let character = iterator.next() {
            guard character == "^" else {
                out.append(character)
                continue
            }
            switch iterator.next() {
            case "'": out.append("\"")
            case "n", "N": out.append(" ")
            case "^": out.append("^")
            case let other?:
                out.append("^")
                out.append(other)
            case nil: out.append("^")
            }
        }
        return out
    }
}

/// A component (VEVENT, VTODO, VTIMEZONE…) read whole, holding only the properties its reader asked for.
struct ICalComponent {
    /// Upper-cased: "VEVENT".
    var name: String
    /// Line of its BEGIN.
    var line: Int
    /// Its own properties, not those of components nested in it (an alarm's ATTENDEE is not the event's).
    var properties: [ICalProperty] = []
    /// Properties of components nested in it, with the nested component's name ("STANDARD", "DAYLIGHT").
    var nested: [(component: String, property: ICalProperty)] = []

    func first(_ name: String) -> ICalProperty? {
        properties.first { $0.name == name }
    }

    func all(_ name: String) -> [ICalProperty] {
        properties.filter { $0.name == name }
    }
}
