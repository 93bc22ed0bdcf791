import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Walks the route table: for every API route with a parameter (but the few listed below, whose parameter is
/// not an object of a user), user B asks for each of user A's objects and must get 404, the answer for an id
/// that does not exist. A route added later is covered without editing this test.
@Suite("Isolation")
struct IsolationTests {
    /// Routes whose parameter names no user's object: a sign-in method kind.
    static let publicParameterRoutes: Set<String> = [
        "DELETE /api/v1/account/sign-in-methods/:method"
    ]

    @Test("Attack: user B gets 404 for every one of user A's objects on every API route with an id")
    func everyRouteHidesOtherUsersObjects() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("a@example.com")
            let tokenA = try await api.signIn("a@example.com")
            try await api.signUp("b@example.com")
            let tokenB = try await api.signIn("b@example.com")

            // One of each kind of object A can have.
            let person = try api.object(
                try await api.send(.POST, "/api/v1/people", body: ["name": "Dana"], token: tokenA))
            let personID = try #require(person["id"] as? String)
            let note = try api.object(
                try await api.send(.POST, "/api/v1/people/\(personID)/notes", body: ["body": "private"], token: tokenA))
            let identity = try api.object(
                try await api.send(
                    .POST, "/api/v1/people/\(personID)/identities", body: ["kind": "email", "value": "dana@a.example"],
                    token: tokenA))
            let interaction = try api.object(
                try await api.send(
                    .POST, "/api/v1/people/\(personID)/interactions",
                    body: ["kind": "mail", "occurred_at": "2026-01-01T00:00:00Z"], token: tokenA))
            let group = try api.object(
                try await api.send(.POST, "/api/v1/groups", body: ["name": "Friends"], token: tokenA))
            let twin = try api.object(
                try await api.send(.POST, "/api/v1/people", body: ["name": "Dana Twin"], token: tokenA))
            let twinID = try #require(twin["id"] as? String)
            let merge = try api.object(
                try await api.send(.POST, "/api/v1/people/\(personID)/merge", body: ["other_id": twinID], token: tokenA)
            )
            let userA = try #require(try await User.query(on: app.db).filter(\.$email == "a@example.com").first())
            userA.emailVerifiedAt = app.clock.now()
            try await userA.save(on: app.db)
            let workspace = try api.object(
                try await api.send(.POST, "/api/v1/workspaces", body: ["name": "A team"], token: tokenA))
            let workspaceID = try #require(workspace["id"] as? String)
            let invitation = try api.object(
                try await api.send(
                    .POST, "/api/v1/workspaces/\(workspaceID)/invitations", body: ["email": "c@example.com"],
                    token: tokenA))
            let sessionID = try #require(try await UserSession.query(on: app.db).first()?.requireID().uuidString)
            let objectsOfA =
                try [personID, twinID, sessionID]
                + [note, identity, interaction, group, merge, workspace, invitation].map {
                    try #require($0["id"] as? String)
                }

            var checked = 0
            for route in app.routes.all {
                let path = route.path
                guard path.first?.description == "api",
                    path.contains(where: { if case .parameter = $0 { true } else { false } })
                else {
                    continue
                }
                let key = "\(route.method.rawValue) /" + path.map(\.description).joined(separator: "/")
                if Self.publicParameterRoutes.contains(key) { continue }
                for object in objectsOfA + [UUID().uuidString] {
                    let concrete =
                        "/"
                        + path.map { component in
                            if case .parameter = component { return object } else { return component.description }
                        }.joined(separator: "/")
                    // A minimal valid body for each kind of write, pointing at A's objects where it names one.
                    let body: [String: String]? =
                        [.POST, .PUT, .PATCH].contains(route.method)
                        ? [
                            "name": "x", "body": "x", "other_id": twinID, "kind": "email", "value": "b@b.example",
                            "occurred_at": "2026-01-01T00:00:00Z",
                            "email": "b@example.com", "role": "admin", "user_id": try userA.requireID().uuidString,
                        ]
                        : nil
                    let answer = try await api.send(route.method, concrete, body: body, token: tokenB)
                    #expect(answer.status == .notFound, "\(key) with A's \(object) answered \(answer.status) to B")
                }
                checked += 1
            }
            #expect(checked >= 33, "the walk found the routes with ids")
            // Nothing of A's changed.
            #expect(try await Person.query(on: app.db).count() == 2)
            #expect(
                try await Person.query(on: app.db).filter(\.$mergedIntoID == nil).count() == 1,
                "the merge was not undone")
            #expect(try await PersonNote.query(on: app.db).count() == 1)
            #expect(try await PersonIdentity.query(on: app.db).count() == 1)
            #expect(try await PersonGroup.query(on: app.db).count() == 1)
            #expect(try await Interaction.query(on: app.db).count() == 1)
            #expect(try await Workspace.query(on: app.db).count() == 1)
            #expect(try await WorkspaceMember.query(on: app.db).count() == 1)
            #expect(try await Invitation.query(on: app.db).filter(\.$revokedAt == nil).count() == 1)
            #expect(try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).count() == 2)
            #expect(try await api.send(.GET, "/api/v1/people/\(personID)", token: tokenA).status == .ok)
        }
    }
}
