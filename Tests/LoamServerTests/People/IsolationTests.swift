import Fluent
import Foundation
@testable import LoamServer
import Testing
import Vapor
import VaporTesting

/// Walks the route table: for every API route with a parameter (but the few listed below, whose parameter is
/// not an object of a user), user B asks for each of user A's objects and must get 404, the answer for an id
/// that does not exist. A route added later is covered without editing this test.
@Suite("Isolation")
struct IsolationTests {
    /// Routes whose parameter names no user's object: a sign-in method kind.
    static let publicParameterRoutes: Set<String> = [
        "DELETE /api/v1/account/sign-in-methods/:method",
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
            let person = try api.object(try await api.send(.POST, "/api/v1/people", body: ["name": "Dana"], token: tokenA))
            let personID = try #require(person["id"] as? String)
            _ = try await api.send(.POST, "/api/v1/people/\(personID)/notes", body: ["body": "private"], token: tokenA)
            let sessionID = try #require(try await UserSession.query(on: app.db).first()?.requireID().uuidString)
            let objectsOfA = [personID, sessionID]

            var checked = 0
            for route in app.routes.all {
                let path = route.path
                guard path.first?.description == "api", path.contains(where: { if case .parameter = $0 { true } else { false } }) else {
                    continue
                }
                let key = "\(route.method.rawValue) /" + path.map(\.description).joined(separator: "/")
                if Self.publicParameterRoutes.contains(key) { continue }
                for object in objectsOfA + [UUID().uuidString] {
                    let concrete = "/" + path.map { component in
                        if case .parameter = component { return object } else { return component.description }
                    }.joined(separator: "/")
                    let body: [String: String]? = [.POST, .PUT, .PATCH].contains(route.method) ? ["name": "x", "body": "x"] : nil
                    let answer = try await api.send(route.method, concrete, body: body, token: tokenB)
                    #expect(answer.status == .notFound, "\(key) with A's \(object) answered \(answer.status) to B")
                }
                checked += 1
            }
            #expect(checked >= 5, "the walk found the routes with ids")
            // Nothing of A's changed.
            #expect(try await Person.query(on: app.db).count() == 1)
            #expect(try await PersonNote.query(on: app.db).count() == 1)
            #expect(try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).count() == 2)
            #expect(try await api.send(.GET, "/api/v1/people/\(personID)", token: tokenA).status == .ok)
        }
    }
}
