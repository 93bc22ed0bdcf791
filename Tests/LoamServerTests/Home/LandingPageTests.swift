import LoamServer
import Testing
import VaporTesting

@Suite("Landing page and layout")
struct LandingPageTests {
    @Test("The landing page says what Loam is, in the shared layout, with no inline script")
    func landing() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "html")
                let html = response.body.string
                #expect(html.contains("private relationship manager"))
                #expect(html.contains("<title>Your network, on your own server · Loam</title>"))
                #expect(html.contains(#"<link rel="stylesheet" href="/css/loam.css">"#))
                #expect(html.contains("Mail headers only"))
                #expect(!html.contains("<script>"))
                #expect(!html.contains(" style="))
                #expect(!html.contains("#import") && !html.contains("#export"))
            }
        }
    }

    @Test("The stylesheet is served from Public/")
    func stylesheet() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/css/loam.css") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("--leaf"))
            }
        }
    }
}
