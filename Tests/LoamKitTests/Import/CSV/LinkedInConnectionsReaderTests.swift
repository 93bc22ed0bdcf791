import Foundation
import LoamKit
import Testing

@Suite("LinkedIn Connections.csv reader")
struct LinkedInConnectionsReaderTests {
    typealias F = CSVFixtures

    @Test(
        "Current layout: the Notes preamble is passed over, the header found on line 4, dates like 05 Dec 2025 at UTC midnight"
    )
    func currentLayout() throws {
        let items = try F.items(.linkedin, "linkedin-current.csv")
        try #require(items.count == 5)
        let dana = try #require(items[0].csvContact)
        #expect(dana.line == 5)
        #expect(dana.givenName == "Dana" && dana.familyName == "Okafor")
        #expect(
            dana.identifiers == [
                .profileURL("https://www.linkedin.com/in/dana-okafor-4b1a2c"), .email("dana.okafor@example.com"),
            ])
        #expect(dana.organization == "Acme Robotics")
        #expect(dana.title == "Head of Product")
        #expect(dana.connectedAt == F.utc(2025, 12, 5))
        #expect(dana.relationship == "connection")

        let emile = try #require(items[1].csvContact)
        #expect(emile.displayName == "Émile Zoë")
        #expect(emile.organization == "Blue Harbor, Inc.")
        #expect(emile.title == "VP, Sales")
        #expect(emile.csvEmails.isEmpty)
        #expect(emile.connectedAt == F.utc(2019, 3, 17))

        #expect(items[2].csvContact?.organization == nil)
        #expect(items[3].csvSkippedLine == 8)
        #expect(items[3].csvSkippedReason?.contains("no name") == true)
        let priya = try #require(items[4].csvContact)
        #expect(priya.organization == "The \"Quoted\" Company")
        #expect(priya.connectedAt == F.utc(2024, 2, 29))
    }

    @Test(
        "Older layout: no preamble and no URL column, dates like \"1/8/18, 6:14 PM\", urn:li:member: becomes a LinkedIn id"
    )
    func olderLayout() throws {
        let contacts = try F.contacts(.linkedin, "linkedin-older.csv")
        try #require(contacts.count == 3)
        #expect(contacts.map(\.line) == [2, 3, 4])
        #expect(contacts[0].identifiers == [.email("dana.okafor@example.com")])
        #expect(contacts[0].connectedAt == F.utc(2018, 1, 8, 18, 14))
        #expect(contacts[1].identifiers == [.sourceID(service: "linkedin", value: "urn:li:member:123456789")])
        #expect(contacts[1].connectedAt == F.utc(2017, 12, 24, 9, 5))
        #expect(contacts[2].connectedAt == F.utc(2016, 3, 15, 0, 0))
        #expect(contacts[2].organization == nil)
    }

    @Test("Columns are found by name: reordered, renamed in case and spacing, with a column LinkedIn never wrote")
    func columnsByName() throws {
        let text =
            "connected on,POSITION,company,Extra,email address,last name,first name\n"
            + "3 Jan 2022,CTO,Acme,whatever,ana@example.com,Silva,Ana\n"
        let contact = try #require(try F.items(.linkedin, text: text).first?.csvContact)
        #expect(contact.displayName == "Ana Silva")
        #expect(contact.title == "CTO")
        #expect(contact.organization == "Acme")
        #expect(contact.identifiers == [.email("ana@example.com")])
        #expect(contact.connectedAt == F.utc(2022, 1, 3))
    }

    @Test("A date LinkedIn never writes leaves connectedAt empty and keeps the connection")
    func unreadableDate() throws {
        for date in ["sometime in 2020", "31 Feb 2024", "13/13/13", "1/8/18, 25:00", "05 Foo 2025"] {
            let text = "First Name,Last Name,Connected On\nAna,Silva,\"\(date)\"\n"
            let contact = try #require(try F.items(.linkedin, text: text).first?.csvContact)
            #expect(contact.connectedAt == nil, "\(date)")
        }
    }

    @Test("looksLike finds the header below the preamble, and not in other contact files")
    func looksLike() throws {
        #expect(LinkedInConnectionsReader.looksLike(try F.bytes("linkedin-current.csv")))
        #expect(LinkedInConnectionsReader.looksLike(try F.bytes("linkedin-older.csv")))
        for other in ["google-current.csv", "google-older.csv", "outlook-web.csv", "outlook-desktop-1252.csv"] {
            #expect(!LinkedInConnectionsReader.looksLike(try F.bytes(other)), "\(other)")
        }
    }
}
