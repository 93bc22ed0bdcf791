import Foundation
import LoamServer
import Testing
import VaporTesting

@Suite("Request ids")
struct RequestIDTests {
    @Test("A request without an id gets a new one on the response and in every log line")
    func generated() async throws {
        let logs = LogCapture()
        try await withLoamApp(logs: logs) { app in
            var first = ""
            try await app.testing().test(.GET, "/healthz") { response in
                first = response.headers.first(name: "X-Request-ID") ?? ""
                #expect(first.count >= 16)
            }
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.headers.first(name: "X-Request-ID") != first)
            }
            #expect(logs.captured.contains { $0.contains("request_id=\(first)") && $0.contains("status=200") })
        }
    }

    @Test("A caller's id is kept, so a proxy's id follows the request through the logs")
    func propagated() async throws {
        let logs = LogCapture()
        try await withLoamApp(logs: logs) { app in
            try await app.testing().test(.GET, "/healthz", headers: ["X-Request-ID": "edge-7f3a.42"]) { response in
                #expect(response.headers.first(name: "X-Request-ID") == "edge-7f3a.42")
            }
            #expect(logs.captured.contains { $0.contains("request_id=edge-7f3a.42") })
        }
    }

    @Test("An id that is not a plain token (an address, a line break, a huge value) is replaced")
    func rejected() async throws {
        try await withLoamApp { app in
            for bogus in ["alice@example.com", "a b", String(repeating: "x", count: 200), "x\u{7F}"] {
                try await app.testing().test(.GET, "/healthz", headers: ["X-Request-ID": bogus]) { response in
                    let id = response.headers.first(name: "X-Request-ID") ?? ""
                    #expect(!id.isEmpty)
                    #expect(id != bogus)
                }
            }
        }
    }
}
