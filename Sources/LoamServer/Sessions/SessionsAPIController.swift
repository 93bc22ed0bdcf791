import Fluent
import Foundation
import Vapor

/// `/api/v1/sessions`: sign in, list and revoke sessions, sign out.
struct SessionsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let sessions = routes.grouped("api", "v1", "sessions")
        sessions.post(use: signIn)
        sessions.get(use: list)
        sessions.delete("current", use: signOut)
        sessions.post("revoke-others", use: revokeOthers)
        sessions.delete(":id", use: revoke)
    }

    /// 201 `{token, expires_at, session_id}`; the token is shown only here.
    @Sendable
    func signIn(request: Request) async throws -> Response {
        let body = try request.content.decode(SignInRequest.self)
        let (_, issued) = try await request.application.accounts.signIn(
            email: body.email, password: body.password, context: request.clientContext)
        return try await SignInResponse.created(issued, for: request)
    }

    @Sendable
    func list(request: Request) async throws -> Page<SessionDTO> {
        let authenticated = try request.requireAuthenticated()
        let sessions = try await request.sessionStore.live(of: authenticated.user)
        return Page(
            items: try sessions.map { try SessionDTO($0, currentID: authenticated.session.id) }, nextCursor: nil)
    }

    @Sendable
    func signOut(request: Request) async throws -> HTTPStatus {
        let authenticated = try request.requireAuthenticated()
        try await request.sessionStore.revoke(authenticated.session, on: request.db)
        try await request.application.accounts.audit(
            authenticated.user, .signedOut, request.clientContext, on: request.db)
        return .noContent
    }

    /// Another user's session id answers 404, exactly like one that does not exist.
    @Sendable
    func revoke(request: Request) async throws -> HTTPStatus {
        let authenticated = try request.requireAuthenticated()
        guard let id = request.parameters.get("id", as: UUID.self),
            let session = try await UserSession.query(on: request.db).filter(\.$id == id)
                .filter(\.$user.$id == (try authenticated.user.requireID())).filter(\.$revokedAt == nil).first()
        else { throw Abort(.notFound) }
        try await request.sessionStore.revoke(session, on: request.db)
        try await request.application.accounts.audit(
            authenticated.user, .sessionRevoked, request.clientContext, on: request.db)
        return .noContent
    }

    struct RevokedCount: Content {
        var revoked: Int
    }

    /// "Sign out everywhere else".
    @Sendable
    func revokeOthers(request: Request) async throws -> RevokedCount {
        let authenticated = try request.requireAuthenticated()
        let count = try await request.sessionStore.revokeAll(
            of: authenticated.user, except: authenticated.session.id, on: request.db)
        try await request.application.accounts.audit(
            authenticated.user, .otherSessionsRevoked, request.clientContext, on: request.db)
        return RevokedCount(revoked: count)
    }
}
