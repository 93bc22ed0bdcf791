import Foundation
import Testing

@testable import LoamKit

/// The reader's byte-level fast paths give exactly what the String code they stand in for gives, on the inputs where
/// the two could part: case, `mailto:` twice, angle brackets, tabs, non-ASCII names and addresses, combining marks
/// next to escapes, CR LF pairs, Outlook's unquoted TZID.
@Suite("iCalendar reader: byte-level fast paths equal the String code")
struct ICalendarFastPathTests {
    /// The String implementation the fast path replaced, kept here as the reference.
    enum Reference {
        static let calendarDomains = [
            "resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com",
            "import.calendar.google.com",
        ]

        static func participant(_ property: ICalProperty) -> ICalendarParticipant? {
            if let kind = property.parameter("CUTYPE")?.uppercased(), kind == "ROOM" || kind == "RESOURCE" {
                return nil
            }
            var value = property.value.trimmedWhitespace
            if value.lowercased().hasPrefix("mailto:") { value = String(value.dropFirst(7)) }
            var email = address(value)
            if email == nil, let parameter = property.parameter("EMAIL") { email = address(parameter) }
            guard let email else { return nil }
            let domain = email.split(separator: "@").last.map { $0.lowercased() } ?? ""
            if calendarDomains.contains(domain) { return nil }
            var name = property.parameter("CN").map { ICalProperty.decodeParameter($0).trimmedWhitespace }
            if let cn = name,
                cn.isEmpty || cn.caseInsensitiveCompare(email) == .orderedSame
                    || cn.lowercased() == "mailto:" + email.lowercased()
            {
                name = nil
            }
            return ICalendarParticipant(email: email, name: name)
        }

        static func address(_ text: String) -> String? {
            var text = text.trimmedWhitespace
            if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
            if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.count <= 320,
                !text.contains(where: { $0 == " " || $0 == ":" || $0 == "/" || $0 == "," || $0 == ";" })
            else { return nil }
            return text
        }
    }

    static let values = [
        "mailto:dana@example.org", "MAILTO:Dana@Example.ORG", "  mailto: dana@example.org\t",
        "mailto:mailto:dana@example.org",
        "<dana@example.org>", "mailto:<dana@example.org>", "dana@example", "@example.org", "dana@@example.org",
        "dana@exa mple.org", "dana@example.org/x", "dana\t@example.org", "Dana <dana@example.org>", "", "mailto:",
        "c_1@resource.calendar.google.com", "X@GROUP.CALENDAR.GOOGLE.COM", "urn:uuid:1234", "maİlto:dana@example.org",
        "mailto:dänä@exämple.org", "mailto:dana@example.org\u{301}", "\u{0600}<dana@example.org>",
        "dana@example.org\r\n",
        "mailto:" + String(repeating: "a", count: 320) + "@example.org", "dana@example.org ",
    ]
    static let parameters = [
        "", ";CN=Dana Oster", ";CN=\"Oster, Dana\"", ";CN=dana@example.org", ";CN=DANA@EXAMPLE.ORG",
        ";CN=mailto:Dana@Example.org",
        ";CN=Dänä", ";CN=dana@exämple.org", ";CN=^'Dana^' ^n Oster", ";CN=", ";CUTYPE=room", ";CUTYPE=Resource",
        ";CUTYPE=INDIVIDUAL;PARTSTAT=DECLINED", ";EMAIL=dana@example.org", ";EMAIL=mailto:dana@example.org;CN=Dana",
        ";EMAIL=\"<Dana@Example.org>\"", ";CN=ſana@example.org", ";ROLE=REQ-PARTICIPANT;CN=Bench;X-NUM-GUESTS=0",
    ]

    @Test("ORGANIZER and ATTENDEE: the same participant as the String code for every value and parameter list")
    func participants() throws {
        var compared = 0
        for value in Self.values {
            for parameters in Self.parameters {
                let line = Array(("ATTENDEE" + parameters + ":" + value).utf8)
                let property = try #require(ICalProperty(bytes: line, line: 1))
                let fast = ICalendarEventBuilder.participant(property)
                let reference = Reference.participant(property)
                #expect(fast == reference, "\(parameters):\(value)")
                compared += 1
            }
        }
        #expect(compared == Self.values.count * Self.parameters.count)
    }

    @Test("TEXT unescaping on bytes equals VCardText.unescape, combining marks and CR LF included")
    func unescaping() {
        let texts = [
            "plain", "a\\, b\\; c\\: d\\\\ e\\n f\\N g", "trailing\\", "\\x unknown", "Café\\, Berlin", "\\n\u{301}",
            "é\\n",
            "\u{0600}\\n", "\\é", "\\\r\n", "a\\\\\\n", "\\\\", "\\n\\n", "x\\\u{301}n", "日本\\,語",
        ]
        for text in texts {
            #expect(ICalProperty.unescaped(text) == VCardText.unescape(text), "\(text.debugDescription)")
        }
    }

    @Test(
        "Parameters are read from the header bytes as the eager split read them: quotes, empty pieces, first of a name")
    func parameterLookup() throws {
        let property = try #require(
            ICalProperty(
                bytes: Array(
                    "ATTENDEE;;X;cn = \"Oster; Dana: Sales\" ;CN=Second;partstat=\"ACCEPTED\":mailto:a@b.c".utf8),
                line: 1))
        #expect(property.parameter("CN") == "Oster; Dana: Sales")
        #expect(property.parameter("PARTSTAT") == "ACCEPTED")
        #expect(property.parameter("X") == nil)
        #expect(property.value == "mailto:a@b.c")
        let outlook = try #require(
            ICalProperty(
                bytes: Array("DTSTART;VALUE=DATE-TIME;TZID=tzone://Microsoft/Utc:20260105T090000".utf8), line: 1))
        #expect(outlook.parameter("TZID") == "tzone://Microsoft/Utc")
        #expect(outlook.parameter("VALUE") == "DATE-TIME")
        #expect(outlook.value == "20260105T090000")
    }

    @Test("Occurrence keys keep their widths, and wider or negative fields are written whole")
    func keys() {
        let date = ICalDateTime(year: 2026, month: 1, day: 5, isDateOnly: true)
        #expect(ICalendarEventBuilder.recurrenceKey(date, instant: nil) == "20260105")
        let floating = ICalDateTime(year: 987, month: 3, day: 4, hour: 5, minute: 6, second: 7)
        #expect(ICalendarEventBuilder.recurrenceKey(floating, instant: nil) == "09870304T050607")
        let utc = ICalDateTime(year: 2026, month: 1, day: 5, hour: 9, zone: .utc)
        #expect(ICalendarEventBuilder.recurrenceKey(utc, instant: utc.date()) == "20260105T090000Z")
        let wide = ICalDateTime(year: 12_345, month: 1, day: 5, isDateOnly: true)
        #expect(ICalendarEventBuilder.recurrenceKey(wide, instant: nil) == "123450105")
    }
}
