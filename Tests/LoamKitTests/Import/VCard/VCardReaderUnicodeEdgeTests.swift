import Foundation
import LoamKit
import Testing

/// The reader reads ASCII on bytes for speed and leaves everything else to `String`. These cards sit on the
/// border: each expectation is what the reader gave before it had byte paths (Character iteration, canonical
/// equivalence, Unicode case mappings), so a byte path that claims too much shows up here.
@Suite("vCard reader: Unicode at the edges of the byte paths")
struct VCardReaderUnicodeEdgeTests {
    typealias F = VCardFixtures

    private func card(_ text: String) throws -> VCardRecord {
        let items = try F.items(atPath: F.temporaryFile(text))
        return try #require(items.compactMap(\.card).last)
    }

    @Test("U+037E GREEK QUESTION MARK is a `;` to Character comparison, so it splits N and ORG")
    func greekQuestionMark() throws {
        let card = try card("BEGIN:VCARD\r\nN:Doe\u{037E}John;x\r\nORG:\u{037E}Acme;Sales\r\nEND:VCARD\r\n")
        #expect(card.familyName == "Doe")
        #expect(card.givenName == "John")
        #expect(card.organization == "Acme")
    }

    @Test("An escape whose letter carries a combining mark is no escape; one followed by ASCII is")
    func combiningMarkAfterEscape() throws {
        let card = try card("BEGIN:VCARD\r\nFN:a\\n\u{0301}b \\; c\r\nEND:VCARD\r\n")
        #expect(card.formattedName == "a\\n\u{0301}b ; c")
    }

    @Test("A parameter name upper-cases as Unicode does (ı → I); a TYPE lower-cases as Unicode does (K → k)")
    func unicodeCaseMappings() throws {
        let card = try card(
            "BEGIN:VCARD\r\nEMAIL;TYPE=work;ENCODıNG=QUOTED-PRINTABLE:a=40b.c\r\nTEL;TYPE=\u{212A}ID:tel:1\r\nEND:VCARD\r\n"
        )
        #expect(card.emails == [VCardValue(value: "a@b.c", label: "work")])
        #expect(card.phones == [VCardValue(value: "1", label: "kid")])
    }

    @Test("mailto: loses its scheme in any case, but not when a combining mark joins the colon")
    func mailtoPrefix() throws {
        let card = try card("BEGIN:VCARD\r\nEMAIL:mailto:\u{0301}x@y\r\nEMAIL:MAILTO:z@y\r\nEND:VCARD\r\n")
        #expect(card.emails.map(\.value) == ["mailto:\u{0301}x@y", "z@y"])
    }

    @Test("Unicode spaces around a name and BEGIN's value are trimmed; Apple labels with accents are lower-cased")
    func unicodeSpacesAndLabels() throws {
        let card = try card(
            "BEGIN:VCARD\r\nEND:VCARD\r\nBEGIN:\u{00A0}VCARD\r\n\u{00A0}FN:Name\r\nitem1.TEL:2\r\n"
                + "item1.X-ABLabel:_$!<Ärger>!$_\r\nEND:VCARD\r\n")
        #expect(card.line == 3)
        #expect(card.formattedName == "Name")
        #expect(card.phones == [VCardValue(value: "2", label: "ärger")])
    }

    @Test("A birthday in other digits, or with a line break inside (CR LF is one Character), is none")
    func birthdaysOffTheBytePath() throws {
        let card = try card(
            "BEGIN:VCARD\r\nBDAY:١٩٨٥٠٤١٥\r\nBDAY;ENCODING=QUOTED-PRINTABLE:1985=0D=0A0415\r\nBDAY: 1985-04-15T10:00 \r\n"
                + "END:VCARD\r\n")
        // The first two are not dates, so the third is the card's.
        #expect(card.birthday == VCardBirthday(year: 1985, month: 4, day: 15))
    }
}
