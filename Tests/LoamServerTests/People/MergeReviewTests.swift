import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Duplicates review, merge and undo")
struct MergeReviewTests {
    @Test(
        "Likely pairs come with their reason; a merge moves everything; undo puts both back and the pair never returns")
    func reviewMergeUndo() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let robert = try await api.person(
                ["name": "Robert Smith", "emails": ["rob@example.com"], "company": "Acme"], token: token)
            let bob = try await api.person(
                ["name": "Bob Smith", "emails": ["bob@home.example"], "title": "Engineer"], token: token)
            _ = try await api.person(["name": "Someone Else"], token: token)
            _ = try await api.sendJSON(.POST, "/api/v1/people/\(bob)/notes", ["body": "likes climbing"], token: token)
            _ = try await api.sendJSON(
                .POST, "/api/v1/people/\(bob)/interactions",
                [
                    "kind": "mail", "occurred_at": "2026-03-01T10:00:00Z", "subject": "Lunch?",
                    "key": "<m1@example.com>",
                ], token: token)

            // The review proposes the nickname pair, with the reason a user reads.
            let pairs = try api.items(try await api.send(.GET, "/api/v1/duplicates", token: token))
            #expect(pairs.count == 1)
            let pair = try #require(pairs.first)
            #expect(pair["reason"] as? String == "nickname")
            #expect(
                Set((pair["people"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == [robert, bob])
            #expect(!(pair["explanation"] as? String ?? "").isEmpty)

            // Merge Bob into Robert: identities, notes, the interaction and the missing title move over.
            let merged = try await api.sendJSON(
                .POST, "/api/v1/people/\(robert)/merge", ["other_id": bob], token: token)
            #expect(merged.status == .created, "\(merged.body.string)")
            let mergeID = try #require(try api.object(merged)["id"] as? String)
            let survivor = try api.object(try await api.send(.GET, "/api/v1/people/\(robert)", token: token))
            let values = Set((survivor["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String })
            #expect(values == ["rob@example.com", "bob@home.example"])
            #expect(survivor["title"] as? String == "Engineer" && survivor["company"] as? String == "Acme")
            #expect(survivor["interaction_count"] as? Int == 1)
            #expect(try api.items(try await api.send(.GET, "/api/v1/people/\(robert)/notes", token: token)).count == 1)
            #expect(
                try await api.send(.GET, "/api/v1/people/\(bob)", token: token).status == .notFound,
                "the absorbed person is gone")
            #expect(try api.items(try await api.send(.GET, "/api/v1/people", token: token)).count == 2)
            #expect(try api.items(try await api.send(.GET, "/api/v1/duplicates", token: token)).isEmpty)
            let log = try api.items(try await api.send(.GET, "/api/v1/merges", token: token))
            #expect(log.first?["id"] as? String == mergeID)

            // Undo: both as they were, and never proposed again.
            let undone = try await api.send(.POST, "/api/v1/merges/\(mergeID)/undo", token: token)
            #expect(undone.status == .ok, "\(undone.body.string)")
            let restoredBob = try api.object(try await api.send(.GET, "/api/v1/people/\(bob)", token: token))
            #expect((restoredBob["identities"] as? [[String: Any]])?.first?["value"] as? String == "bob@home.example")
            #expect(restoredBob["interaction_count"] as? Int == 1)
            #expect(try api.items(try await api.send(.GET, "/api/v1/people/\(bob)/notes", token: token)).count == 1)
            let restoredRobert = try api.object(try await api.send(.GET, "/api/v1/people/\(robert)", token: token))
            #expect(
                restoredRobert["title"] == nil || restoredRobert["title"] is NSNull,
                "the title the merge filled in went back")
            #expect((restoredRobert["identities"] as? [Any])?.count == 1)
            #expect(try api.items(try await api.send(.GET, "/api/v1/duplicates", token: token)).isEmpty)
            #expect(try await api.send(.POST, "/api/v1/merges/\(mergeID)/undo", token: token).status == .conflict)
        }
    }

    @Test("\"Not the same person\" keeps a pair out of the review for good")
    func notTheSame() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let a = try await api.person(["name": "Dana Oster", "company": "Acme Inc."], token: token)
            let b = try await api.person(["name": "Dana  Öster", "company": "ACME"], token: token)
            let pairs = try api.items(try await api.send(.GET, "/api/v1/duplicates", token: token))
            #expect(pairs.first?["reason"] as? String == "same_name_and_company")
            #expect(
                try await api.sendJSON(.POST, "/api/v1/people/\(a)/not-same", ["other_id": b], token: token).status
                    == .noContent)
            #expect(try api.items(try await api.send(.GET, "/api/v1/duplicates", token: token)).isEmpty)
            #expect(
                try await api.sendJSON(.POST, "/api/v1/people/\(a)/merge", ["other_id": a], token: token).status
                    == .unprocessableEntity)
        }
    }

    @Test("A shared address never merges into a person with another LinkedIn profile: 409, nothing written")
    func conflictingProfilesDoNotMerge() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let id = try await api.person(["name": "Sam Lee", "emails": ["sam@example.com"]], token: token)
            let added = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/identities",
                ["kind": "profile_url", "value": "https://www.linkedin.com/in/sam-lee-1/"], token: token)
            #expect(added.status == .created, "\(added.body.string)")
            #expect(try api.object(added)["value"] as? String == "linkedin.com/in/sam-lee-1")
            // The same LinkedIn written another way is the same identifier, not a conflict.
            let same = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/identities",
                ["kind": "profile_url", "value": "linkedin.com/in/Sam-Lee-1?trk=x"], token: token)
            #expect(same.status == .created)
            let other = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/identities",
                ["kind": "profile_url", "value": "https://linkedin.com/in/sam-lee-2"], token: token)
            #expect(other.status == .conflict, "one human has one LinkedIn profile")
            #expect(try await PersonIdentity.query(on: app.db).count() == 2)
        }
    }
}
