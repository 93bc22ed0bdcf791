import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Error rendering")
struct ErrorRenderingTests {
    /// A route that fails the way a bug would, with internals in the error.
    struct InternalFailure: Error, CustomStringConvertible {
        var description: String { "connection to db.internal failed: password=swordfish" }
    }

    static func failingRoutes(_ app: Application) throws {
        app.get("api", "v1", "boom") { _ -> String in throw InternalFailure() }
        app.get("boom") { _ -> String in throw InternalFailure() }
        app.post("api", "v1", "echo") { request -> String in
            struct Body: Content { var name: String }
            return try request.content.decode(Body.self).name
        }
    }

    @Test("Under /api an unknown route is RFC 9457 problem+json in snake_case with the request id")
    func apiNotFound() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/api/v1/nothing-here", headers: ["X-Request-ID": "req-1"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
                let problem =
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(problem?["type"] as? String == "/problems/not-found")
                #expect(problem?["title"] as? String == "Not found")
                #expect(problem?["status"] as? Int == 404)
                #expect(problem?["request_id"] as? String == "req-1")
                #expect(problem?["instance"] as? String == "/api/v1/nothing-here")
                #expect(problem?["requestId"] == nil)
            }
        }
    }

    @Test("A malformed API body is a 400 problem that says so, and the handler never runs")
    func apiBadBody() async throws {
        try await withLoamApp(routes: Self.failingRoutes) { app in
            try await app.testing().test(
                .POST, "/api/v1/echo", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(
                    response.body.string.contains(#""type":"\/problems\/bad-request""#)
                        || response.body.string.contains(#""type":"/problems/bad-request""#))
            }
        }
    }

    @Test("A server error hides its internals, is logged at error with the request id, and shows that id")
    func serverErrorAPI() async throws {
        let logs = LogCapture()
        try await withLoamApp(logs: logs, routes: Self.failingRoutes) { app in
            try await app.testing().test(.GET, "/api/v1/boom", headers: ["X-Request-ID": "req-500"]) { response in
                #expect(response.status == .internalServerError)
                #expect(response.body.string.contains("/problems/internal-error"))
                #expect(response.body.string.contains("req-500"))
                #expect(!response.body.string.contains("swordfish"))
                #expect(!response.body.string.contains("db.internal"))
            }
            #expect(logs.captured.contains { $0.hasPrefix("[error]") && $0.contains("request_id=req-500") })
        }
    }

    @Test("Browsers get an HTML error page with the request id")
    func htmlPages() async throws {
        try await withLoamApp(routes: Self.failingRoutes) { app in
            try await app.testing().test(.GET, "/no/such/page", headers: ["X-Request-ID": "req-404"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.body.string.contains("Not found"))
                #expect(response.body.string.contains("req-404"))
                #expect(response.body.string.contains(#"href="/problems/not-found""#))
            }
            try await app.testing().test(.GET, "/boom", headers: ["X-Request-ID": "req-boom"]) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers.contentType?.subType == "html")
                #expect(response.body.string.contains("req-boom"))
                #expect(!response.body.string.contains("swordfish"))
            }
        }
    }

    @Test("Every problem type has a page that explains it; unknown ones are 404")
    func problemPages() async throws {
        try await withLoamApp { app in
            // Platform's own and those the features declare (a sign-in method's, an account's, the form token's).
            let slugs = Set(app.problemTypes.all.map(\.slug))
            #expect(
                slugs.isSuperset(of: [
                    "csrf", "email-unverified", "provider-unavailable", "validation", "too-many-requests",
                ]))
            for type in app.problemTypes.all {
                try await app.testing().test(.GET, type.uri) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains(type.title))
                }
            }
            try await app.testing().test(.GET, "/problems/no-such-problem") { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
