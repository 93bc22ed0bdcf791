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
        guard let parsed = VCardProperty.parse(bytes) else { return nil }
        // iCalendar has no groups: a dotted name is kept whole.
        name = parsed.group.map { $0.uppercased() + "." + parsed.name } ?? parsed.name
        parameters = parsed.parameters
        value = VCardText.utf8OrWindows1252(parsed.value)
        self.line = line
        // Outlook.com writes TZID=tzone://Microsoft/Utc unquoted: a date value has no colon, so the last one
        // ends the header.
        if Self.dateProperties.contains(name), let colon = value.lastIndex(of: ":"), parameters.last?.name == "TZID",
            value.first?.isNumber == false
        {
            parameters[parameters.count - 1].value += ":" + value[..<colon]
            value = String(value[value.index(after: colon)...])
        }
    }

    private static let dateProperties: Set<String> = ["DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "RDATE", "EXDATE"]

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
