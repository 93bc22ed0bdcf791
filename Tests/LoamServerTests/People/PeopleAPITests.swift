import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("People API")
struct PeopleAPITests {
    private func signedIn(_ api: APIClient, _ email: String) async throws -> String {
        try await api.signUp(email)
        return try await api.signIn(email)
    }

    private func create(_ api: APIClient, _ token: String, _ body: [String: Any]) async throws -> TestingHTTPResponse {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await api.app.testing().sendRequest(
            .POST, "/api/v1/people", headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
            body: ByteBuffer(bytes: Array(data)))
    }

    @Test("Create normalizes identities; a shared hard identifier merges into the existing person (200, merged)")
    func createAndMerge() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await signedIn(api, "owner@example.com")
            let first = try await create(
                api, token, ["name": "Dana Oster", "emails": [" Dana@Example.COM "], "phones": ["(415) 555-0132"]])
            #expect(first.status == .created, "\(first.body.string)")
            let person = try api.object(first)
            let id = try #require(person["id"] as? String)
            let values = (person["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(
                Set(values) == ["dana@example.com", "+14155550132"],
                "emails lower-cased, phones in E.164 with the user's region (US)")

            // The same number written another way, and a new address: the same person, with the address added.
            let again = try await create(
                api, token,
                [
                    "name": "D. Oster", "emails": ["dana.work@example.com"], "phones": ["+1 415 555 0132"],
                    "company": "Acme",
                ])
            #expect(again.status == .ok)
            let merged = try api.object(again)
            #expect(merged["merged"] as? Bool == true && merged["id"] as? String == id)
            #expect(merged["name"] as? String == "Dana Oster", "the user's earlier name wins")
            #expect(merged["company"] as? String == "Acme")
            #expect((merged["identities"] as? [Any])?.count == 3)

            // A name alone never merges.
            let namesake = try await create(api, token, ["name": "Dana Oster"])
            #expect(namesake.status == .created)
            #expect(try api.object(namesake)["id"] as? String != id)
        }
    }

    @Test("Identities of two different people are refused, and a bad entry is named; nothing is written")
    func refusals() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await signedIn(api, "owner@example.com")
            _ = try await create(api, token, ["name": "A", "emails": ["a@example.com"]])
            _ = try await create(api, token, ["name": "B", "emails": ["b@example.com"]])
            let both = try await create(api, token, ["name": "AB", "emails": ["a@example.com", "b@example.com"]])
            #expect(both.status == .conflict)
            let bad = try await create(api, token, ["name": "C", "emails": ["c@example.com", "not an address"]])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Entry 2 of emails"))
            #expect(try await Person.query(on: app.db).count() == 2)
            #expect(try await PersonIdentity.query(on: app.db).count() == 2)
        }
    }

    @Test("The list pages by name with a cursor, and shows only the user's own people")
    func listPages() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await signedIn(api, "owner@example.com")
            let other = try await signedIn(api, "other@example.com")
            for name in ["Eve", "Bob", "Dan", "Ann", "Cat"] { _ = try await create(api, token, ["name": name]) }
            _ = try await create(api, other, ["name": "Zed"])
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try api.object(
                    try await api.send(
                        .GET, "/api/v1/people?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token))
                names += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(names == ["Ann", "Bob", "Cat", "Dan", "Eve"])
            #expect(
                try await api.send(.GET, "/api/v1/people?cursor=garbage", token: token).status == .unprocessableEntity)
        }
    }

    @Test("Notes are sealed at rest with the author's key: the database never holds the text")
    func notesAreSealed() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await signedIn(api, "owner@example.com")
            let id = try #require(try api.object(try await create(api, token, ["name": "Dana"]))["id"] as? String)
            let marker = "met at the harbour festival, loves kayaking \(UUID().uuidString)"
            let added = try await api.send(.POST, "/api/v1/people/\(id)/notes", body: ["body": marker], token: token)
            #expect(added.status == .created)
            let listed = try api.object(try await api.send(.GET, "/api/v1/people/\(id)/notes", token: token))
            #expect((listed["items"] as? [[String: Any]])?.first?["body"] as? String == marker)

            let sealed = try #require(try await PersonNote.query(on: app.db).first()).sealedBody
            #expect(!String(decoding: sealed, as: UTF8.self).contains("harbour"))
            #expect(
                try await api.send(.POST, "/api/v1/people/\(id)/notes", body: ["body": "   "], token: token).status
                    == .unprocessableEntity)
        }
    }
}
