import Fluent
import Leaf
import Vapor

/// The account web pages: sign-up, sign-in and sign-out here; the account page in `+Account`,
/// mail links and "Can't sign in?" in `+Recovery`. Plain forms, no JavaScript; every POST passes
/// `CSRFMiddleware` first.
struct AccountPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-up", use: signUpForm)
        routes.post("sign-up", use: signUp)
        routes.get("sign-in", use: signInForm)
        routes.post("sign-in", use: signIn)
        routes.post("sign-out", use: signOut)
        bootAccount(routes)
        bootRecovery(routes)
        bootEmailChange(routes)
    }

    // MARK: Sign-up

    struct SignUpForm: Content {
        var email: String?
        var name: String?
    }

    /// What the form shows again after an error, or after the mail went.
    struct SignUpPage: Encodable {
        var email = ""
        var name = ""
        var error: String?
        /// The same for a new and a taken address.
        var sent = false
    }

    @Sendable
    func signUpForm(request: Request) async throws -> Response {
        try await request.renderPage("accounts/sign-up", title: "Create your account", SignUpPage())
    }

    /// Takes the address and name only; the mail's link sets the password. The page says the same
    /// whether or not the address already has an account.
    @Sendable
    func signUp(request: Request) async throws -> Response {
        let form = try request.content.decode(SignUpForm.self)
        let email = form.email ?? ""
        let name = form.name ?? ""
        do {
            try await request.application.accounts.signUp(email: email, name: name, context: request.clientContext)
        } catch let error as any LoamError where error is AccountError || error is RateLimitError {
            return try await request.renderPage(
                "accounts/sign-up", title: "Create your account",
                SignUpPage(email: email, name: name, error: error.detail),
                status: error.status, headers: error.headers)
        }
        return try await request.renderPage(
            "accounts/sign-up", title: "Check your mailbox",
            SignUpPage(email: User.normalize(email: email), name: name, sent: true),
            status: .ok)
    }

    // MARK: Sign-in

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    struct SignInPage: Encodable {
        var email = ""
        var next: String
        var error: String?
        /// Set while a provider waits to be linked to the account being signed in to.
        var linking: String?
    }

    @Sendable
    func signInForm(request: Request) async throws -> Response {
        let next = LocalRedirect.target(try? request.query.get(String.self, at: "next"))
        var page = SignInPage(next: next)
        if request.cookies[OIDCController.pendingLinkCookie] != nil,
            let id = try? request.query.get(String.self, at: "linking")
        {
            page.linking = request.application.oidcProviders.settings.first { $0.id == id }?.name
        }
        return try await request.renderPage("accounts/sign-in", title: "Sign in", page)
    }

    @Sendable
    func signIn(request: Request) async throws -> Response {
        let form = try request.content.decode(SignInForm.self)
        let email = form.email ?? ""
        let next = LocalRedirect.target(form.next)
        do {
            let (user, issued) = try await request.application.accounts.signIn(
                email: email, password: form.password ?? "", context: request.clientContext)
            // The browser's earlier session, if any, ends here: one cookie, one session.
            if let previous = request.auth.get(Authenticated.self) {
                try await request.sessionStore.revoke(previous.session, on: request.db)
            }
            // A provider whose verified address matched this account links now that its owner proved it.
            if let pending = request.cookies[OIDCController.pendingLinkCookie]?.string {
                let linked = try? await request.application.oidcSignIn.completePendingLink(
                    token: pending, for: user, context: request.clientContext)
                let response = request.startSession(issued, goingTo: linked == nil ? next : "/account/sign-in-methods")
                response.cookies[OIDCController.pendingLinkCookie] = HTTPCookies.Value(
                    string: "", maxAge: 0, path: "/", isSecure: request.application.loamConfiguration.isHTTPS,
                    isHTTPOnly: true,
                    sameSite: .lax)
                return response
            }
            return request.startSession(issued, goingTo: next)
        } catch let error as AccountError {
            // 401, 429 (with Retry-After) and 403 for a restricted account, whose detail says why and how to recover;
            // 503 with Retry-After when every password-hashing slot is busy.
            return try await request.renderPage(
                "accounts/sign-in", title: "Sign in", SignInPage(email: email, next: next, error: error.detail),
                status: error.status, headers: error.headers)
        }
    }

    // MARK: Sign-out

    @Sendable
    func signOut(request: Request) async throws -> Response {
        try await signOut(request, goingTo: "/")
    }

    /// Ends the browser's session (revoked, audited, cookie expired) on a redirect to `path`.
    func signOut(_ request: Request, goingTo path: String) async throws -> Response {
        if let authenticated = request.auth.get(Authenticated.self) {
            try await request.sessionStore.revoke(authenticated.session, on: request.db)
            try await request.application.accounts.audit(
                authenticated.user, .signedOut, request.clientContext, on: request.db)
            request.auth.logout(Authenticated.self)
        }
        return endSession(request, goingTo: path)
    }

    /// Expires the session cookie on a redirect to `path`.
    func endSession(_ request: Request, goingTo path: String) -> Response {
        let configuration = request.application.loamConfiguration
        let response = request.seeOther(path)
        response.cookies[SessionCookie.name(for: configuration)] = SessionCookie.expired(configuration: configuration)
        return response
    }
}
