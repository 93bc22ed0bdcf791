import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

extension APIClient {
    /// A signed-up account whose address is confirmed, signed in; returns its bearer token.
    func verifiedUser(_ email: String, name: String = "Dana Oster") async throws -> String {
        try await signUp(email, name: name)
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        user.emailVerifiedAt = app.clock.now()
        try await user.save(on: app.db)
        _ = try await deliverMails(app)  // the verification mail, not needed any more
        return try await signIn(email)
    }

    func workspace(_ name: String, token: String) async throws -> String {
        let response = try await send(.POST, "/api/v1/workspaces", body: ["name": name], token: token)
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(try object(response)["id"] as? String)
    }

    func invite(_ email: String, to workspace: String, role: String = "member", token: String) async throws
        -> TestingHTTPResponse
    {
        try await send(
            .POST, "/api/v1/workspaces/\(workspace)/invitations", body: ["email": email, "role": role], token: token)
    }
}

/// The invitation link's path (`/invitations/<token>`) in a delivered mail.
func invitationPath(in mail: String) -> String? {
    link(in: mail, prefix: "/invitations/").map { "/invitations/\($0.token)" }
}
