import Fluent
import LoamKit
import Vapor

/// The browser side of provider sign-in: `/auth/<id>/start` sends the browser to the provider,
/// `/auth/<id>/callback` (GET, or POST for form_post providers) finishes. Linking and step-up start with
/// a POST from the account pages, so another site cannot start them.
struct OIDCController: RouteCollection {
    /// Binds a flow to the browser that started it (login CSRF): only a hash of it is stored.
    static let browserCookie = "loam_oidc"
    /// Holds a pending link while the person signs in another way.
    static let pendingLinkCookie = "loam_link"

    func boot(routes: any RoutesBuilder) throws {
        let auth = routes.grouped("auth", ":provider")
        auth.get("start", use: start)
        auth.get("callback", use: callback)
        auth.post("callback", use: callback)
        let signedIn = auth.signedInPages(landing: "/account/sign-in-methods")
        signedIn.post("link", use: startLink)
        signedIn.post("reauthenticate", use: startReauthentication)
    }

    // MARK: Start

    @Sendable
    func start(request: Request) async throws -> Response {
        let next = (try? request.query.get(String.self, at: "next")).map(LocalRedirect.target)
        return try await begin(request, purpose: .signIn, user: nil, returnTo: next)
    }

    /// Adds the provider to the signed-in account; needs step-up like every sign-in method change.
    @Sendable
    func startLink(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let form = try request.content.decode(StepUpForm.self)
        try await StepUp.require(request, currentPassword: form.currentPassword)
        return try await begin(request, purpose: .link, user: authenticated.user, returnTo: "/account/sign-in-methods")
    }

    /// Step-up for an account that has no password: sign in with a linked provider again.
    @Sendable
    func startReauthentication(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let form = try request.content.decode(StepUpForm.self)
        return try await begin(
            request, purpose: .reauthenticate, user: authenticated.user,
            returnTo: LocalRedirect.target(form.next ?? "/account/sign-in-methods"))
    }

    struct StepUpForm: Content {
        var currentPassword: String?
        var next: String?

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case next
        }
    }

    private func begin(_ request: Request, purpose: PreAuthentication.Purpose, user: User?, returnTo: String?)
        async throws
        -> Response
    {
        let id = request.parameters.get("provider") ?? ""
        let settings = try request.application.oidcProviders.client(id).settings
        // form_post callbacks arrive cross-site without SameSite=Lax cookies: their flow stands on its state alone.
        let browser = settings.usesFormPost ? nil : SecureToken.generate().token
        let url = try await request.application.oidcSignIn.start(
            provider: settings.id, purpose: purpose, user: user, returnTo: returnTo, browserToken: browser)
        let response = request.seeOther(url.absoluteString)
        if let browser {
            response.cookies[Self.browserCookie] = cookie(browser, maxAge: Int(PreAuthentication.lifetime), request)
        }
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    // MARK: Callback

    @Sendable
    func callback(request: Request) async throws -> Response {
        let id = request.parameters.get("provider") ?? ""
        let settings = try request.application.oidcProviders.client(id).settings
        // A form_post provider answers only with POST, the others only with GET: the other method is not theirs.
        guard (request.method == .POST) == settings.usesFormPost else { throw Abort(.methodNotAllowed) }
        let parameters =
            request.method == .POST
            ? try request.content.decode(OIDCSignInService.CallbackParameters.self)
            : try request.query.decode(OIDCSignInService.CallbackParameters.self)
        let outcome = try await request.application.oidcSignIn.complete(
            provider: settings.id, parameters, browserToken: request.cookies[Self.browserCookie]?.string,
            context: request.clientContext)
        let response = try await respond(to: outcome, request)
        response.cookies[Self.browserCookie] = cookie("", maxAge: 0, request)
        return response
    }

    private func respond(to outcome: OIDCSignInService.Outcome, _ request: Request) async throws -> Response {
        switch outcome {
        case .signedIn(_, let issued, let returnTo), .signedUp(_, let issued, let returnTo):
            if let previous = request.auth.get(Authenticated.self) {
                try await request.sessionStore.revoke(previous.session, on: request.db)
            }
            return request.startSession(issued, goingTo: returnTo ?? "/account")
        case .linkPending(let token, _, _):
            let response = request.seeOther("/sign-in?linking=\(request.parameters.get("provider") ?? "")")
            response.cookies[Self.pendingLinkCookie] = cookie(token, maxAge: Int(PendingLink.lifetime), request)
            return response
        case .linked(_, let returnTo):
            return request.seeOther(returnTo ?? "/account/sign-in-methods")
        case .reauthenticated(let user, let returnTo):
            // The browser's own session, and only if it is the same account, counts as freshly signed in.
            guard let authenticated = request.auth.get(Authenticated.self), authenticated.user.id == user.id else {
                throw SignInMethodError.flowExpired
            }
            authenticated.session.authenticatedAt = request.application.clock.now()
            try await request.db.writeTransaction { tx in
                try await authenticated.session.save(on: tx)
                try await request.application.accounts.audit(user, .reauthenticated, request.clientContext, on: tx)
            }
            return request.seeOther(returnTo ?? "/account/sign-in-methods")
        }
    }

    private func cookie(_ value: String, maxAge: Int, _ request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/",
            isSecure: request.application.loamConfiguration.isHTTPS, isHTTPOnly: true, sameSite: .lax)
    }
}
