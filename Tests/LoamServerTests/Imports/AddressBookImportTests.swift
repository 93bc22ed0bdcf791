import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Importing contacts")
struct AddressBookImportTests {
    @Test(
        "Cards become people with normalized identifiers; a card naming an existing person adds to them; the user's edits win"
    )
    func cardsMerge() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("me@example.com")
            let dana = try await api.person(["name": "Dana", "emails": ["dana@example.com"]], token: token)
            _ = try await api.sendJSON(.PATCH, "/api/v1/people/\(dana)", ["company": "Globex"], token: token)
            let cards = """
                BEGIN:VCARD
                VERSION:3.0
                FN:Dana Oster
                N:Oster;Dana;;;
                EMAIL;TYPE=INTERNET,WORK:Dana@Example.com
                TEL;TYPE=CELL:(415) 555-0132
                ORG:Initech
                TITLE:CTO
                END:VCARD
                BEGIN:VCARD
                VERSION:3.0
                FN:Bo Lund
                EMAIL:bo@example.org
                URL:https://www.linkedin.com/in/bo-lund/
                END:VCARD
                BEGIN:VCARD
                VERSION:3.0
                NOTE:nobody here
                END:VCARD

                """
            let path = try ImportFixtures.write(cards, name: "contacts.vcf")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "me@example.com").first())
            let summary = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(summary.format == "vcard")
            #expect(summary.peopleCreated == 1 && summary.peopleUpdated == 1)
            #expect(summary.identities == 3, "Dana's number, Bo's address and profile")
            #expect(summary.skipped.count == 1)
            let merged = try api.object(try await api.send(.GET, "/api/v1/people/\(dana)", token: token))
            #expect(merged["company"] as? String == "Globex", "the user's company stays")
            #expect(merged["title"] as? String == "CTO", "a missing title is filled in")
            let values = Set((merged["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String })
            #expect(values == ["dana@example.com", "+14155550132"])
            #expect(
                try await app.storedIdentities().filter { $0.value == "linkedin.com/in/bo-lund" }.count == 1)

            let again = try await app.imports(for: user).importFile(path: path, format: nil)
            #expect(again.peopleCreated == 0 && again.peopleUpdated == 0 && again.identities == 0)
        }
    }
}
