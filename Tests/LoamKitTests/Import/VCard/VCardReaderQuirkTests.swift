import Foundation
import LoamKit
import Testing

@Suite("vCard reader: quirks of real exports")
struct VCardReaderQuirkTests {
    typealias F = VCardFixtures

    @Test("Folded lines are unfolded on bytes, so a fold inside a UTF-8 character or after a tab does no harm")
    func folding() throws {
        let cards = try F.cards("folding.vcf")
        try #require(cards.count == 1)
        #expect(cards[0].formattedName == "José Ñúñez-Álvarez")
        #expect(cards[0].familyName == "Ñúñez-Álvarez")
        #expect(cards[0].givenName == "José")
        #expect(cards[0].note == "first half and second half")
    }

    @Test("2.1 quoted-printable: soft line breaks, a soft break that is also folded, a fold inside =C3=A9")
    func quotedPrintable() throws {
        let card = try #require(F.cards("quoted-printable-21.vcf").first)
        #expect(card.version == "2.1")
        #expect(card.familyName == "Müller")
        #expect(card.givenName == "Jürgen")
        #expect(card.formattedName == "Jürgen Müller")
        #expect(card.note == "Line one\nLine two with café and €été end")
        #expect(card.title == "Geschäftsführer")
    }

    @Test("CHARSET=ISO-8859-1 and Windows-1252 are honoured; undeclared bytes that are not UTF-8 read as Windows-1252")
    func charsets() throws {
        let card = try #require(F.cards("charsets-21.vcf").first)
        #expect(card.familyName == "Müller")
        #expect(card.givenName == "Renée")
        #expect(card.formattedName == "Renée Müller")
        #expect(card.title == "“Chef” € – Café")
        #expect(card.note == "Président – €")
        #expect(card.organization == "Société Générale")
    }

    @Test("2.1 bare type parameters label values; pref, internet and voice are not labels")
    func bareTypes() throws {
        let card = try #require(F.cards("types-21.vcf").first)
        #expect(
            card.phones == [
                VCardValue(value: "+44 7700 900123", label: "cell"),
                VCardValue(value: "+44 20 7946 0000", label: "work"),
                VCardValue(value: "+44 20 7946 0001", label: nil),
            ])
        #expect(
            card.emails == [
                VCardValue(value: "ada@example.org", label: nil),
                VCardValue(value: "ada.home@example.net", label: "home"),
            ])
        #expect(card.urls == [VCardValue(value: "https://ada.example.org", label: "work")])
    }

    @Test("3.0 and 4.0 TYPE lists: comma-separated, repeated, quoted, any case; 4.0 tel: URIs lose their scheme")
    func typeLists() throws {
        let cards = try F.cards("types-30-40.vcf")
        try #require(cards.count == 2)
        #expect(
            cards[0].phones == [
                VCardValue(value: "+81 3 1234 5678", label: "work"),
                VCardValue(value: "+81 90 1234 5678", label: "cell"),
            ])
        #expect(
            cards[0].emails == [
                VCardValue(value: "kai@example.jp", label: "work"),
                VCardValue(value: "kai@example.com", label: nil),
            ])
        #expect(cards[1].version == "4.0")
        #expect(cards[1].phones == [VCardValue(value: "+1-555-555-0100", label: "home")])
        #expect(cards[1].emails == [VCardValue(value: "mira@example.com", label: "work")])
    }

    @Test("Apple's itemN groups give their X-ABLabel to the value, written before or after it")
    func appleItemLabels() throws {
        let card = try #require(F.cards("apple-item-labels.vcf").first)
        #expect(
            card.emails == [
                VCardValue(value: "linh@example.com", label: "other"),
                VCardValue(value: "linh@uni.example.edu", label: "Uni"),
            ])
        #expect(
            card.phones == [
                VCardValue(value: "+1 415 555 0134", label: "mobile"),
                VCardValue(value: "+1 415 555 0199", label: "home"),
            ])
        #expect(card.urls == [VCardValue(value: "http://linh.example.com", label: "homepage")])
    }

    @Test("Escapes \\, \\; \\n \\N \\\\ and \\: are undone; N's components are split only at unescaped semicolons")
    func escapes() throws {
        let card = try #require(F.cards("escapes.vcf").first)
        #expect(card.familyName == "de la Cruz")
        #expect(card.givenName == "María José")
        #expect(card.formattedName == "Dr. María José de la Cruz, PhD")
        #expect(card.organization == "Smith; Jones & Co.")
        #expect(card.title == "Head of R&D\\Labs")
        #expect(card.note == "Met at the fair, booth 12; call back.\nSecond line\nThird line")
        #expect(card.urls.map(\.value) == ["http://www.google.com/profiles/123"])
        #expect(card.nickname == "Majo, Mari,J")
    }

    @Test("BEGIN, END and property names in any case, LF line endings and a UTF-8 BOM")
    func caseBOMAndLF() throws {
        let items = try F.items("case-bom-lf.vcf")
        try #require(items.count == 1)
        let card = try #require(items[0].card)
        #expect(card.line == 1)
        #expect(card.version == "3.0")
        #expect(card.formattedName == "Zoë Park")
        #expect(card.givenName == "Zoë")
        #expect(card.emails == [VCardValue(value: "zoe@example.com", label: "work")])
        #expect(card.phones == [VCardValue(value: "+1 212 555 0188", label: "cell")])
        #expect(card.birthday == VCardBirthday(year: 1990, month: 2, day: 3))
    }

    @Test("Birthdays in every spelling, with the year left out where the card leaves it out")
    func birthdays() throws {
        let cards = try F.cards("birthdays.vcf")
        let noYear = VCardBirthday(year: nil, month: 4, day: 15)
        let withYear = VCardBirthday(year: 1985, month: 4, day: 15)
        #expect(
            cards.map(\.birthday) == [
                noYear, noYear, noYear, noYear,  // --0415, --04-15, X-APPLE-OMIT-YEAR, 1604 alone
                withYear, withYear, withYear, withYear,  // 19850415, 1985-04-15, with a time, VALUE=date
                nil, nil,  // VALUE=text "circa 1800", 1985-02-30
                noYear,  // 0000-04-15
            ])
    }

    @Test(
        "Photos are measured, not kept: folded 3.0 base64, 2.1 blocks (indented or not), 4.0 data URIs; a URI is no photo"
    )
    func photos() throws {
        let cards = try F.cards("photos.vcf")
        try #require(cards.count == 5)
        #expect(cards.map(\.photoBytes) == [5120, 1000, 301, 77, nil])
        // The properties after each photo are still read.
        #expect(cards[0].emails.map(\.value) == ["three@example.com"])
        #expect(cards[1].phones.map(\.value) == ["+1 555 0101"])
        #expect(cards[2].phones.map(\.value) == ["+1 555 0102"])
        #expect(
            cards.map(\.formattedName) == [
                "Photo Three", "Photo Two-One", "Photo Unindented", "Photo Four", "Photo Link",
            ])
    }

    @Test("A whole Google Contacts card")
    func googleContacts() throws {
        let card = try #require(F.cards("google-contacts-30.vcf").first)
        #expect(card.displayName == "Priya Raman")
        #expect(
            card.emails == [
                VCardValue(value: "priya@example.com", label: "home"),
                VCardValue(value: "priya.raman@example.co.in", label: "work"),
            ])
        #expect(
            card.phones == [
                VCardValue(value: "+91 98765 43210", label: "cell"),
                VCardValue(value: "+91 80 1234 5678", label: "Office reception"),
            ])
        #expect(
            card.urls == [
                VCardValue(value: "http://www.google.com/profiles/104", label: nil),
                VCardValue(value: "https://priya.example.com", label: "homepage"),
            ])
        #expect(card.organization == "Example Labs")
        #expect(card.title == "Staff Engineer")
        #expect(card.birthday == VCardBirthday(year: nil, month: 11, day: 2))
        #expect(card.note == "Met at PyCon India, 2023")
        #expect(card.photoBytes == nil)
    }

    @Test("A whole Outlook card: undeclared Windows-1252 and a quoted-printable label that is not kept")
    func outlook() throws {
        let card = try #require(F.cards("outlook-21.vcf").first)
        #expect(card.formattedName == "Günter Björk")
        #expect(card.familyName == "Björk")
        #expect(card.organization == "Müller & Söhne GmbH")
        #expect(card.title == "Geschäftsführer")
        #expect(
            card.phones == [
                VCardValue(value: "+49 30 123456", label: "work"),
                VCardValue(value: "+49 170 1234567", label: "cell"),
            ])
        #expect(card.emails == [VCardValue(value: "guenter@example.de", label: nil)])
    }

    @Test("A whole Android card: UTF-8 quoted-printable names and a note with a soft line break")
    func android() throws {
        let card = try #require(F.cards("android-21.vcf").first)
        #expect(card.familyName == "李")
        #expect(card.givenName == "小龙")
        #expect(card.formattedName == "李小龙")
        #expect(card.note == "第一行\n第二行第三")
        #expect(card.phones.map(\.label) == ["cell", "home"])
        #expect(card.emails == [VCardValue(value: "xiaolong@example.cn", label: "home")])
    }

    @Test("The RFC 6350 example card")
    func rfc6350() throws {
        let card = try #require(F.cards("rfc6350-40.vcf").first)
        #expect(card.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1")
        #expect(card.familyName == "Perreault")
        #expect(card.givenName == "Simon")
        #expect(card.birthday == VCardBirthday(year: nil, month: 2, day: 3))
        #expect(card.phones == [VCardValue(value: "+1-418-656-9254;ext=102", label: "work")])
        #expect(card.urls == [VCardValue(value: "http://nomis80.org", label: "home")])
    }

    @Test("A 2.1 AGENT's nested card is part of its card, not a contact nor a broken card")
    func nestedAgent() throws {
        let path = try F.temporaryFile(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEND:VCARD\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
        )
        let items = try F.items(atPath: path)
        try #require(items.count == 1)
        #expect(items[0].card?.formattedName == "Boss")
        #expect(items[0].card?.phones.map(\.value) == ["+1 555 0100"])
    }

    @Test("displayName: FN, else given and family, else organization, else the first email, else nil")
    func displayName() {
        var card = VCardRecord(
            line: 1, formattedName: "Full", givenName: "Given", familyName: "Family",
            emails: [VCardValue(value: "a@example.com")], organization: "Org")
        #expect(card.displayName == "Full")
        card.formattedName = nil
        #expect(card.displayName == "Given Family")
        card.givenName = nil
        #expect(card.displayName == "Family")
        card.familyName = nil
        #expect(card.displayName == "Org")
        card.organization = nil
        #expect(card.displayName == "a@example.com")
        card.emails = []
        #expect(card.displayName == nil)
    }
}
