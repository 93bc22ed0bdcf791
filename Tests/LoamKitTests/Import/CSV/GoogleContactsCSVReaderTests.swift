import Foundation
import LoamKit
import Testing

@Suite("Google contacts CSV reader")
struct GoogleContactsCSVReaderTests {
    typealias F = CSVFixtures

    @Test(
        "Current layout with a BOM: E-mail N - Label/Value pairs, the `* ` primary label first, Organization Name and Title"
    )
    func currentLayout() throws {
        let items = try F.items(.google, "google-current.csv")
        try #require(items.count == 4)
        let dana = try #require(items[0].csvContact)
        #expect(dana.line == 2)
        #expect(dana.givenName == "Dana")  // the BOM did not stick to the first column's name
        #expect(dana.displayName == "Dana Okafor")
        #expect(dana.csvEmails == ["dana.okafor@example.com", "dana@example.net"])
        #expect(dana.csvPhones == ["+1 555-0100"])
        #expect(dana.organization == "Acme Robotics")
        #expect(dana.title == "Head of Product")
        #expect(dana.birthday == VCardBirthday(year: 1985, month: 4, day: 15))
        #expect(dana.relationship == "contact")
    }

    @Test(
        "` ::: ` splits a cell into several values; a multi-line note does not end the row; --04-15 is a birthday without year"
    )
    func multiValuesAndNotes() throws {
        let items = try F.items(.google, "google-current.csv")
        let jo = try #require(items[1].csvContact)
        #expect(jo.line == 3)
        #expect(jo.name == "Jo Anne Marsh")
        #expect(jo.csvEmails == ["jo@example.org", "jo.marsh@example.com"])
        #expect(jo.csvPhones == ["+44 20 7946 0018", "+44 7700 900123"])
        #expect(jo.csvProfileURLs == ["https://www.linkedin.com/in/jo-marsh"])
        #expect(jo.birthday == VCardBirthday(year: nil, month: 4, day: 15))
        // The note spans lines 3 to 5 and the address two more, so the next contact starts on line 7.
        let bakery = try #require(items[2].csvContact)
        #expect(bakery.line == 7)
        #expect(bakery.organization == "Corner Bakery")
        #expect(bakery.csvPhones == ["+1 555-0199"])
        #expect(items[3].csvSkippedLine == 8)
    }

    @Test(
        "Older layout: Name, Given/Family Name, E-mail N - Type, Organization 1 - Name/Title; a `* Work` second email comes first"
    )
    func olderLayout() throws {
        let contacts = try F.contacts(.google, "google-older.csv")
        try #require(contacts.count == 2)
        #expect(contacts[0].name == "Ruth Abebe")
        #expect(contacts[0].csvEmails == ["ruth@example.com", "r.abebe@example.org"])
        #expect(contacts[0].csvPhones == ["+251 91 123 4567"])
        #expect(contacts[0].organization == "Addis Clinic")
        #expect(contacts[0].title == "Surgeon")
        #expect(contacts[0].birthday == VCardBirthday(year: 1979, month: 11, day: 2))
        #expect(contacts[1].displayName == "Tomás Ortega")
        #expect(contacts[1].csvEmails == ["tortega@example.com", "tomas@example.net"])
        #expect(contacts[1].line == 3)
    }

    @Test("Header names are matched whatever their case and spacing; a birthday Google never writes is left out")
    func tolerantHeaders() throws {
        let text = "first name,LAST NAME,Email 1 - Value ,birthday\nAna,Silva,ana@example.com,circa 1990\n"
        let contact = try #require(try F.items(.google, text: text).first?.csvContact)
        #expect(contact.displayName == "Ana Silva")
        #expect(contact.csvEmails == ["ana@example.com"])
        #expect(contact.birthday == nil)
    }

    @Test("The older UTF-16 export reads as its UTF-8 twin, a surrogate pair included, and is recognized by looksLike")
    func utf16() throws {
        let bytes = try F.bytes("google-older-utf16.csv")
        #expect(GoogleContactsCSVReader.looksLike(Array(bytes.prefix(4096))))
        let reader = try GoogleContactsCSVReader(source: ByteArraySource(bytes))
        var contacts: [ContactRecord] = []
        while let item = try reader.next() { contacts.append(try #require(item.csvContact)) }
        let twin = try F.contacts(.google, "google-older.csv")
        #expect(contacts.count == 2)
        #expect(contacts.first == twin.first)
        #expect(contacts.last?.name == "Tomás Ortega 🎻")
        #expect(contacts.last?.line == twin.last?.line)
        #expect(reader.bytesRead == reader.totalBytes)
    }

    @Test("A long UTF-16 file read in odd-sized pieces splits no character and no row; progress never goes back")
    func utf16Chunks() throws {
        var text = "First Name,Last Name,E-mail 1 - Value,Notes\r\n"
        for index in 0..<3_000 { text += "Zoë\(index),🎻\(index),z\(index)@example.com,\"two\r\nlines\"\r\n" }
        for bigEndian in [false, true] {
            var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            for unit in text.utf16 {
                bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            }
            let reader = try GoogleContactsCSVReader(source: TrickleSource(bytes, chunk: 4097))
            var count = 0
            var last: Int64 = 0
            var right = true
            while let item = try reader.next() {
                let contact = item.csvContact
                right =
                    right && contact?.givenName == "Zoë\(count)" && contact?.familyName == "🎻\(count)"
                    && contact?.line == 2 + 2 * count
                #expect(reader.bytesRead >= last)
                last = reader.bytesRead
                count += 1
            }
            #expect(count == 3_000)
            #expect(right)
            #expect(reader.bytesRead == reader.totalBytes)
        }
    }

    @Test(
        "Birthdays as Google writes them, with or without a year; impossible dates and years 0000 or 1604 as vCard reads them"
    )
    func birthdays() throws {
        let cases: [(String, VCardBirthday?)] = [
            ("1985-04-15", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("--04-15", VCardBirthday(year: nil, month: 4, day: 15)),
            ("--02-29", VCardBirthday(year: nil, month: 2, day: 29)),
            ("2000-02-29", VCardBirthday(year: 2000, month: 2, day: 29)),
            ("2001-02-29", nil), ("1985-13-01", nil), ("0000-04-15", VCardBirthday(year: nil, month: 4, day: 15)),
            ("1604-04-15", VCardBirthday(year: nil, month: 4, day: 15)),
            ("19850415", VCardBirthday(year: 1985, month: 4, day: 15)),
            ("1985-4-15", nil), ("April 15", nil),
        ]
        for (text, expected) in cases {
            let csv = "First Name,E-mail 1 - Value,Birthday\nAna,ana@example.com,\(text)\n"
            let contact = try #require(try F.items(.google, text: csv).first?.csvContact)
            #expect(contact.birthday == expected, "\(text)")
        }
    }

    @Test("looksLike knows both Google layouts and neither LinkedIn's nor Outlook's")
    func looksLike() throws {
        #expect(GoogleContactsCSVReader.looksLike(try F.bytes("google-current.csv")))
        #expect(GoogleContactsCSVReader.looksLike(try F.bytes("google-older.csv")))
        for other in ["linkedin-current.csv", "linkedin-older.csv", "outlook-web.csv", "outlook-desktop-1252.csv"] {
            #expect(!GoogleContactsCSVReader.looksLike(try F.bytes(other)), "\(other)")
        }
    }
}
