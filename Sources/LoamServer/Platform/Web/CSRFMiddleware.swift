import LoamKit
import Vapor

/// Double-submit CSRF protection for the web pages: every state-changing request outside `/api` must
/// send, in its form field `csrf_token`, the same random token as in the `loam_csrf` cookie.
///
/// A page on another site can make the browser post a form here, but it can neither read the cookie
/// nor set it (HttpOnly, SameSite=Strict, and `__Host-` over https, which a sibling subdomain cannot
/// overwrite), so it cannot put the right token in the form. The API is left out: it reads only bearer
/// tokens, never cookies, so a cross-site request carries no credentials there.
///
/// Once signed in, the cookie's token no longer counts: a signed-in browser's forms carry a token derived from
/// its session's secret (`SecureToken.derive`), so it is new at every sign-in and belongs to that session alone.
/// A token planted in the browser before sign-in (a sibling subdomain tossing the cookie over http, a shared
/// computer) or taken from another session does not pass. Signing in also renews the cookie's token, for the
/// signed-out forms that come after.
struct CSRFMiddleware: AsyncMiddleware {
    static let fieldName = "csrf_token"

    /// What the features exempt (`LoamFeature.csrfExemptions`), gathered once at start-up.
    let exemptions: CSRFExemptions

    static let checkedMethods: [HTTPMethod] = [.POST, .PUT, .PATCH, .DELETE]

    static func cookieName(for configuration: LoamConfiguration) -> String {
        configuration.isHTTPS ? "__Host-loam_csrf" : "loam_csrf"
    }

    /// A browser-session cookie: it lives as long as the browser does, like the forms it protects.
    static func cookie(_ token: String, configuration: LoamConfiguration) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: configuration.isHTTPS,
            isHTTPOnly: true, sameSite: .strict)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if needsCheck(request) {
            try await verify(request)
        }
        let response = try await next.respond(to: request)
        if let created = request.storage[CreatedCSRFToken.self] {
            let configuration = request.application.loamConfiguration
            response.cookies[Self.cookieName(for: configuration)] = Self.cookie(created, configuration: configuration)
        }
        return response
    }

    private func needsCheck(_ request: Request) -> Bool {
        Self.checkedMethods.contains(request.method) && !request.isAPI
            && !exemptions.crossSitePaths.contains(request.url.path)
            && !exemptions.streamedFormPaths.contains(request.url.path)
    }

    private func verify(_ request: Request) async throws {
        let expected = request.acceptedCSRFTokens
        guard !expected.isEmpty else { throw CSRFError() }
        // The handler has not run yet, so the body may still be streaming: collect it (within the
        // usual limit) before reading the form field; the handler then decodes the same bytes.
        if request.body.data == nil {
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        }
        let sent = try? request.content.get(String.self, at: Self.fieldName)
        guard let sent, request.csrfTokenMatches(sent) else {
            throw CSRFError()
        }
    }

    /// The form token of the session whose secret is `sessionToken`.
    static func sessionToken(for sessionToken: String) -> String {
        SecureToken.derive("loam/csrf/v1", from: sessionToken)
    }

    /// No early exit: the time taken does not tell how much of a guess was right.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = lhs.count ^ rhs.count
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= Int(left ^ right)
        }
        return difference == 0
    }
}

/// A form whose token is missing or wrong: nothing it asked for was done.
struct CSRFError: LoamError {
    var status: HTTPResponseStatus { .forbidden }
    var problemType: ProblemType { .csrf }
    var detail: String {
        "This form could not be checked: it may come from a page opened long ago or in another browser. Reload the page and send it again."
    }
}

/// The token this request created, for the middleware to set as a cookie on the way out.
private struct CreatedCSRFToken: StorageKey {
    typealias Value = String
}

extension Request {
    /// The token every form on a page must carry in `csrf_token`: signed in, the one derived from the session;
    /// signed out, the cookie's, or a new one that the middleware sets as the cookie on this response.
    var csrfToken: String {
        if let bound = sessionBoundCSRFToken { return bound }
        if let existing = existingCSRFToken { return existing }
        let created = SecureToken.generate().token
        storage[CreatedCSRFToken.self] = created
        return created
    }

    /// Replaces the cookie's token with a new one on this response: a session is starting, and whatever token
    /// the browser held before (perhaps one someone else chose) must not carry over.
    func renewCSRFCookie() {
        storage[CreatedCSRFToken.self] = SecureToken.generate().token
    }

    /// Whether `sent` is a token this request may carry (also for a form the handler streams itself,
    /// `CSRFExemptions.streamedFormPaths`).
    func csrfTokenMatches(_ sent: String) -> Bool {
        // Every candidate is compared, so the time taken does not tell which one came close.
        acceptedCSRFTokens.reduce(false) { matched, expected in
            CSRFMiddleware.constantTimeEquals(Array(sent.utf8), Array(expected.utf8)) || matched
        }
    }

    /// Signed in: only the session's token. Signed out: the cookie's, and the one of a session cookie the browser
    /// still sends (a session that ended while its form was open, so the form reaches its handler, which asks to
    /// sign in again; only the holder of that session's secret can make that token).
    fileprivate var acceptedCSRFTokens: [String] {
        if let bound = sessionBoundCSRFToken { return [bound] }
        var tokens: [String] = []
        if let existing = existingCSRFToken { tokens.append(existing) }
        if let session = sessionCookieToken { tokens.append(CSRFMiddleware.sessionToken(for: session)) }
        return tokens
    }

    /// The form token of the signed-in session; nil when signed out.
    private var sessionBoundCSRFToken: String? {
        guard hasPageViewer, let session = sessionCookieToken else { return nil }
        return CSRFMiddleware.sessionToken(for: session)
    }

    /// The session cookie's secret, when it has the shape of one (outside `/api`, which never reads cookies).
    private var sessionCookieToken: String? {
        guard !isAPI, let value = cookies[SessionCookie.name(for: application.loamConfiguration)]?.string,
            SecureToken.isWellFormed(value)
        else { return nil }
        return value
    }

    /// The token from the cookie (only when it has the shape we generate) or one created earlier in this request.
    fileprivate var existingCSRFToken: String? {
        if let created = storage[CreatedCSRFToken.self] { return created }
        let name = CSRFMiddleware.cookieName(for: application.loamConfiguration)
        guard let value = cookies[name]?.string, SecureToken.isWellFormed(value) else { return nil }
        return value
    }
}
