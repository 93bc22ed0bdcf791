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
}
