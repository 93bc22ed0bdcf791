import Vapor

/// Security headers on every response, errors and static files included.
///
/// The CSP allows no inline script and no framing; pages load their CSS and JavaScript from `/`.
/// `Cache-Control: no-store` on every `/api` response and on everything a signed-in browser is sent.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// Sent only when the public URL is https: HSTS over plain http would be ignored at best.
    let hsts: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ]
        for (name, value) in headers {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        // Personal data must not stay behind in a browser's or a proxy's cache: no `/api` answer (errors
        // included) and nothing served to a signed-in browser is stored. Static files stay cacheable.
        if request.isAPI || request.hasPageViewer {
            response.headers.cacheControl = .init(noStore: true)
        }
        if hsts {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains")
        }
        return response
    }
}
