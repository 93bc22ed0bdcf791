import Vapor

/// Who is making the request: the user and the session they signed in with.
struct Authenticated: Authenticatable {
    let user: User
    let session: UserSession
}

/// Finds the session of every request: a bearer token under `/api` (never the cookie, so a page
/// on another site cannot make the browser call the API as the user), the session cookie elsewhere.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let token: String?
        if request.isAPI {
            token = request.headers.bearerAuthorization?.token
        } else {
            token = request.cookies[SessionCookie.name(for: request.application.loamConfiguration)]?.string
        }
        if let token, let (session, user) = try await request.sessionStore.authenticate(token: token) {
            request.auth.login(Authenticated(user: user, session: session))
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in user, or a 401 problem.
    func requireAuthenticated() throws -> Authenticated {
        guard let authenticated = auth.get(Authenticated.self) else { throw AccountError.unauthorized }
        return authenticated
    }
}
