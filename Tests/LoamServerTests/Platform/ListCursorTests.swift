import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("List cursors")
struct ListCursorTests {
    @Test("Every list answers 422 for a cursor it did not give out, another list's included")
    func badCursorsAre422Everywhere() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("dana@example.org")
            let token = try await api.signIn("dana@example.org")
            for name in ["Ada", "Bo", "Cy"] {
                #expect(
                    try await api.send(.POST, "/api/v1/people", body: ["name": name], token: token).status == .created)
            }
            let people = try api.object(try await api.send(.GET, "/api/v1/people?limit=1", token: token))
            let peopleCursor = try #require(people["next_cursor"] as? String)
            let personID = try #require((people["items"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await api.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "wrong-wrong-1"])
            let audit = try api.object(try await api.send(.GET, "/api/v1/account/audit?limit=1", token: token))
            let auditCursor = try #require(audit["next_cursor"] as? String)

            let lists = ["/api/v1/people", "/api/v1/account/audit", "/api/v1/people/\(personID)/timeline"]
            for list in lists {
                for cursor in ["garbage", "t.1", UUID().uuidString, ListCursor.encode(-5, list: "timeline")] {
                    let response = try await api.send(.GET, "\(list)?cursor=\(cursor)", token: token)
                    #expect(response.status == .unprocessableEntity, "\(list) with \(cursor)")
                    #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                }
            }
            // A cursor from one list does not page another.
            #expect(
                try await api.send(.GET, "/api/v1/account/audit?cursor=\(peopleCursor)", token: token).status
                    == .unprocessableEntity)
            #expect(
                try await api.send(.GET, "/api/v1/people?cursor=\(auditCursor)", token: token).status
                    == .unprocessableEntity)
            // The lists' own cursors still page.
            #expect(
                try await api.send(.GET, "/api/v1/people?limit=1&cursor=\(peopleCursor)", token: token).status == .ok)
            #expect(try await api.send(.GET, "/api/v1/account/audit?cursor=\(auditCursor)", token: token).status == .ok)
        }
    }
}
