import Foundation
import LoamServer
import Testing
import VaporTesting

@Suite("Security headers")
struct SecurityHeadersTests {
    @Test(
        "Pages, API errors, missing pages and static files all carry the security headers",
        arguments: ["/", "/healthz", "/readyz", "/nope", "/api/v1/nope", "/css/loam.css", "/problems/not-found"])
    func everyResponse(path: String) async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, path) { response in
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(!csp.contains("unsafe-eval"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "strict-origin-when-cross-origin")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                // The base URL is plain http here: no HSTS.
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil)
            }
        }
    }

    @Test("HSTS is sent when the public URL is https")
    func hstsOverHTTPS() async throws {
        try await withLoamApp(adjust: { $0.baseURL = URL(string: "https://loam.example.com")! }) { app in
            try await app.testing().test(.GET, "/") { response in
                let hsts = response.headers.first(name: "Strict-Transport-Security") ?? ""
                #expect(hsts.hasPrefix("max-age="))
            }
        }
    }

    @Test(
        "Attack: nothing personal stays in a cache — every /api answer, errors too, and every page of a signed-in browser is no-store"
    )
    func noStore() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")

            let account = try await client.send(.GET, "/api/v1/account", token: token)
            #expect(account.status == .ok && account.body.string.contains("dana@example.org"))
            #expect(account.headers.first(name: .cacheControl) == "no-store")
            let sessions = try await client.send(.GET, "/api/v1/sessions", token: token)
            #expect(sessions.status == .ok && sessions.headers.first(name: .cacheControl) == "no-store")
            // Errors: signed out, another user's record, a route that does not exist.
            for (path, bearer) in [
                ("/api/v1/account", nil), ("/api/v1/people/\(UUID())", token), ("/api/v1/nope", token),
            ] {
                let error = try await client.send(.GET, path, token: bearer)
                #expect(error.status.code >= 400, "\(path)")
                #expect(error.headers.first(name: .cacheControl) == "no-store", "\(path)")
            }

            // A signed-in browser: its pages, and the redirects it is sent, are never stored.
            let browser = PageBrowser(app)
            _ = try await browser.signIn("dana@example.org")
            for path in ["/account", "/", "/people", "/nope"] {
                let page = try await browser.get(path)
                #expect(page.headers.first(name: .cacheControl) == "no-store", "\(path)")
            }
            // Static files stay cacheable.
            #expect(try await browser.get("/css/loam.css").headers.first(name: .cacheControl) != "no-store")
        }
    }
}
