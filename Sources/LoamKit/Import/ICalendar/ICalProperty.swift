import Foundation

/// One unfolded content line, `NAME[;param…]:value` (RFC 5545 §3.1), with the value decoded to text but its
/// escapes kept: only TEXT values are unescaped, and a comma-separated list must be split first.
struct ICalProperty {
    /// Upper-cased.
    var name: String
    /// Names upper-cased; values as written, without the double quotes around them.
    var parameters: [(name: String, value: String)]
    var value: String
    var line: Int

    init(name: String, parameters: [(name: String, value: String)] = [], value: String, line: Int) {
        self.name = name
        self.parameters = parameters
        self.value = value
        self.line = line
    }

    /// The header splits at the first colon outside double quotes, so `CN="Oster, Dana: Sales"` stays whole.
    /// Nil for a line that is not a content line. Undeclared 8-bit text that is not UTF-8 is read as
    /// Windows-1252, as old Outlook exports need.
    init?(bytes: [UInt8], line: Int) {
        // On bytes, not Strings: this runs for every kept line, and Foundation's trimming is slow on Linux.
        var colon: Int?
        var cuts: [Int] = []
        var quoted = false
        for (index, byte) in bytes.enumerated() {
            if byte == 0x22 { quoted.toggle() }
            guard !quoted else { continue }
            if byte == 0x3B { cuts.append(index) }
            if byte == 0x3A {
                colon = index
                break
            }
        }
        guard let colon else { return nil }
        let nameEnd = cuts.first ?? colon
        let name = Self.trimmed(bytes[..<nameEnd])
        guard !name.isEmpty, name.allSatisfy(Self.isNameByte) else { return nil }
        self.name = String(decoding: name.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
        var parameters: [(name: String, value: String)] = []
        for (position, cut) in cuts.enumerated() {
            let end = position + 1 < cuts.count ? cuts[position + 1] : colon
            let piece = bytes[(cut + 1)..<end]
            guard let equals = piece.firstIndex(of: 0x3D) else { continue }
            let key = Self.trimmed(piece[..<equals]).map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
            var value = Self.trimmed(piece[(equals + 1)...])
            if value.count >= 2, value.first == 0x22, value.last == 0x22 { value = value.dropFirst().dropLast() }
            parameters.append((String(decoding: key, as: UTF8.self), VCardText.utf8OrWindows1252(Array(value))))
        }
        self.parameters = parameters
        value = VCardText.utf8OrWindows1252(Array(bytes[(colon + 1)...]))
        self.line = line
        // Outlook.com writes TZID=tzone://Microsoft/Utc unquoted: a date value has no colon, so the last one
        // ends the header.
        if Self.dateProperties.contains(self.name), let colon = value.lastIndex(of: ":"), self.parameters.last?.name == "TZID",
            value.first?.isNumber == false
        {
            self.parameters[self.parameters.count - 1].value += ":" + value[..<colon]
            value = String(value[value.index(after: colon)...])
        }
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

    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// A TEXT value (SUMMARY, DESCRIPTION, LOCATION) with `\n` `\,` `\;` `\\` undone; nil when blank.
    var text: String? {
        VCardText.clean(VCardText.unescape(value))
    }

    /// RFC 6868 parameter escapes, which Apple Calendar writes in CN: `^'` a double quote, `^n` a line break
    /// (read as a space in a name), `^^` a caret.
    static func decodeParameter(_ value: String) -> String {
        guard value.contains("^") else { return value }
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
