import Foundation
import LoamKit
import Testing

@Suite("Outlook contacts CSV reader")
struct OutlookContactsCSVReaderTests {
    typealias F = CSVFixtures

    @Test(
        "Outlook on the web: quoted headers, Job Title (not the honorific Title), mobile first, no fax or assistant's phone"
    )
    func webLayout() throws {
        let contacts = try F.contacts(.outlook, "outlook-web.csv")
        try #require(contacts.count == 3)
        let dana = contacts[0]
        #expect(dana.line == 2)
        #expect(dana.displayName == "Dana Okafor")
        #expect(dana.title == "Head of Product")
        #expect(dana.organization == "Acme Robotics")
        #expect(dana.csvEmails == ["dana.okafor@example.com", "dana@example.net"])
        #expect(dana.csvPhones == ["+1 555 0100", "+1 555 0110"])
        #expect(dana.csvProfileURLs == ["https://www.linkedin.com/in/dana-okafor-4b1a2c"])
        #expect(dana.birthday == VCardBirthday(year: 1985, month: 4, day: 15))
        #expect(dana.relationship == "contact")
        // Dana's two-line note moves the next contact to line 4.
        #expect(contacts[1].line == 4)
        #expect(contacts[1].name == "Jo Anne Marsh")
        #expect(contacts[1].birthday == VCardBirthday(year: 1990, month: 2, day: 3))
        #expect(contacts[2].organization == "Corner Bakery")
    }

    @Test("Outlook for Windows: Windows-1252 text, 0/0/00 for no birthday, an Exchange /o= address is no email")
    func desktopWindows1252() throws {
        let contacts = try F.contacts(.outlook, "outlook-desktop-1252.csv")
        try #require(contacts.count == 2)
        #expect(contacts[0].givenName == "Céline")
        #expect(contacts[0].organization == "Société Générale d’Exemple")
        #expect(contacts[0].title == "Directrice – Ventes")
        #expect(contacts[0].birthday == nil)
        #expect(contacts[0].csvEmails == ["celine.dubois@example.fr"])
        #expect(contacts[0].csvPhones == ["+33 6 12 34 56 78"])
        #expect(contacts[1].familyName == "Åström")
        #expect(contacts[1].csvEmails == ["bjorn@example.se"])
        #expect(contacts[1].birthday == VCardBirthday(year: 1972, month: 11, day: 3))
    }

    @Test("Birthdays as Outlook writes them in several locales")
    func birthdays() throws {
        let cases: [(String, VCardBirthday?)] = [
            ("4/15/1985", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("15/4/1985", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("15.04.1985", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("1985-04-15", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("4/15/85", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("2/29/2001", nil), ("0/0/00", nil), ("1/0/00", nil), ("someday", nil),
        ]
        for (text, expected) in cases {
            let csv = "\"First Name\",\"E-mail Address\",\"Birthday\"\n\"Ana\",\"ana@example.com\",\"\(text)\"\n"
            let contact = try #require(try F.items(.outlook, text: csv).first?.csvContact)
            #expect(contact.birthday == expected, "\(text)")
        }
    }

    @Test("looksLike knows both Outlook layouts and neither LinkedIn's nor Google's")
    func looksLike() throws {
        #expect(OutlookContactsCSVReader.looksLike(try F.bytes("outlook-web.csv")))
        #expect(OutlookContactsCSVReader.looksLike(try F.bytes("outlook-desktop-1252.csv")))
        for other in ["linkedin-current.csv", "linkedin-older.csv", "google-current.csv", "google-older.csv"] {
            #expect(!OutlookContactsCSVReader.looksLike(try F.bytes(other)), "\(other)")
        }
    }
}
