import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Editing, archiving and grouping people")
struct PersonEditTests {
    @Test("The user's edit wins over a later import of the same person, and every fact names its source")
    func userEditsWin() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let id = try await api.person(
                ["name": "Dana Oster", "emails": ["dana@example.com"], "company": "Acme"], token: token)
            let edited = try await api.sendJSON(
                .PATCH, "/api/v1/people/\(id)", ["company": "Globex", "is_favourite": true], token: token)
            #expect(edited.status == .ok, "\(edited.body.string)")
            #expect((try api.object(edited)["sources"] as? [String: Any])?["company"] as? String == "user")

            let again = try await api.sendJSON(
                .POST, "/api/v1/people",
                ["name": "Dana O.", "emails": ["dana@example.com"], "company": "Initech", "title": "CTO"], token: token)
            #expect(again.status == .ok)
            let person = try api.object(again)
            #expect(person["company"] as? String == "Globex", "the user's company stays")
            #expect(person["title"] as? String == "CTO", "a missing fact is filled in")
            #expect(person["is_favourite"] as? Bool == true)
            #expect((person["sources"] as? [String: Any])?["title"] as? String == "api")
            #expect(
                try await api.sendJSON(.PATCH, "/api/v1/people/\(id)", ["name": "  "], token: token).status
                    == .unprocessableEntity)
        }
    }

    @Test("Archived people leave the list and are listed on their own; delete removes everything about them")
    func archiveAndDelete() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let id = try await api.person(["name": "Old Friend", "emails": ["old@example.com"]], token: token)
            _ = try await api.person(["name": "New Friend"], token: token)
            _ = try await api.sendJSON(.POST, "/api/v1/people/\(id)/notes", ["body": "secret"], token: token)
            _ = try await api.sendJSON(.PATCH, "/api/v1/people/\(id)", ["archived": true], token: token)
            #expect(
                try api.items(try await api.send(.GET, "/api/v1/people", token: token)).compactMap {
                    $0["name"] as? String
                } == ["New Friend"])
            #expect(try api.items(try await api.send(.GET, "/api/v1/people?archived=true", token: token)).count == 1)

            #expect(try await api.send(.DELETE, "/api/v1/people/\(id)", token: token).status == .noContent)
            #expect(try await api.send(.GET, "/api/v1/people/\(id)", token: token).status == .notFound)
            #expect(try await PersonNote.query(on: app.db).count() == 0)
            #expect(try await PersonIdentity.query(on: app.db).count() == 0)
            #expect(try await SearchEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("Groups: create, add people, filter the list, rename (names unique), delete keeps the people")
    func groups() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let ann = try await api.person(["name": "Ann"], token: token)
            _ = try await api.person(["name": "Bob"], token: token)
            let created = try await api.send(.POST, "/api/v1/groups", body: ["name": "Climbing"], token: token)
            #expect(created.status == .created)
            let group = try #require(try api.object(created)["id"] as? String)
            #expect(
                try await api.send(.POST, "/api/v1/groups", body: ["name": "Climbing"], token: token).status
                    == .conflict)
            #expect(
                try await api.send(.PUT, "/api/v1/groups/\(group)/people/\(ann)", token: token).status == .noContent)
            #expect(
                try await api.send(.PUT, "/api/v1/groups/\(group)/people/\(ann)", token: token).status == .noContent,
                "twice is fine")
            let members = try api.items(try await api.send(.GET, "/api/v1/people?group=\(group)", token: token))
            #expect(members.compactMap { $0["name"] as? String } == ["Ann"])
            let person = try api.object(try await api.send(.GET, "/api/v1/people/\(ann)", token: token))
            #expect((person["groups"] as? [[String: Any]])?.first?["name"] as? String == "Climbing")
            let listed = try api.items(try await api.send(.GET, "/api/v1/groups", token: token))
            #expect(listed.first?["size"] as? Int == 1)
            #expect(
                try await api.send(.PATCH, "/api/v1/groups/\(group)", body: ["name": "Bouldering"], token: token).status
                    == .ok)
            #expect(
                try await api.send(.DELETE, "/api/v1/groups/\(group)/people/\(ann)", token: token).status == .noContent)
            #expect(try api.items(try await api.send(.GET, "/api/v1/people?group=\(group)", token: token)).isEmpty)
            #expect(try await api.send(.DELETE, "/api/v1/groups/\(group)", token: token).status == .noContent)
            #expect(try api.items(try await api.send(.GET, "/api/v1/people", token: token)).count == 2)
        }
    }
}

@Suite("Editing notes")
struct NoteEditTests {
    @Test(
        "A note can be rewritten (sealed again, its search tokens replaced) and deleted; another author's note is 404")
    func rewriteAndDelete() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let id = try await api.person(["name": "Dana"], token: token)
            let note = try api.object(
                try await api.sendJSON(.POST, "/api/v1/people/\(id)/notes", ["body": "kayak harbour"], token: token))
            let noteID = try #require(note["id"] as? String)
            let tokensBefore = Set(try await SearchEntry.query(on: app.db).all().flatMap(\.tokenList))

            let rewritten = try await api.sendJSON(
                .PATCH, "/api/v1/people/\(id)/notes/\(noteID)", ["body": "climbing gym"], token: token)
            #expect(rewritten.status == .ok)
            let listed = try api.items(try await api.send(.GET, "/api/v1/people/\(id)/notes", token: token))
            #expect(listed.compactMap { $0["body"] as? String } == ["climbing gym"])
            let tokensAfter = Set(try await SearchEntry.query(on: app.db).all().flatMap(\.tokenList))
            #expect(
                tokensAfter.count == 2 && tokensAfter.isDisjoint(with: tokensBefore), "old words are no longer findable"
            )
            let sealed = try #require(try await PersonNote.query(on: app.db).first()).sealedBody
            #expect(!String(decoding: sealed, as: UTF8.self).contains("climbing"))

            let other = try await api.signedIn("other@example.com")
            #expect(
                try await api.send(.DELETE, "/api/v1/people/\(id)/notes/\(noteID)", token: other).status == .notFound)
            #expect(
                try await api.send(.DELETE, "/api/v1/people/\(id)/notes/\(noteID)", token: token).status == .noContent)
            #expect(try await PersonNote.query(on: app.db).count() == 0)
            #expect(try await SearchEntry.query(on: app.db).count() == 0)
        }
    }
}
