import Foundation
import LoamServer
import Testing
import VaporTesting

@Suite("Health and readiness")
struct HealthTests {
    @Test("/healthz answers while the process runs")
    func healthz() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "ok\n")
            }
        }
    }

    @Test("/readyz reports ok with the database as the first component")
    func readyWhenDatabaseAnswers() async throws {
        try await withLoamApp { app in
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
                let body = try JSONDecoder().decode(ReadyBody.self, from: Data(response.body.readableBytesView))
                #expect(body.status == "ok")
                #expect(body.components.first?.name == "database")
                #expect(body.components.first?.status == "ok")
                #expect(body.components.first?.latencyMs != nil)
            }
        }
    }

    @Test("/readyz answers 503 and down when the database does not answer")
    func downWhenDatabaseIsUnreachable() async throws {
        // Nothing listens on port 1: the database is configured but unreachable.
        try await withLoamApp(
            adjust: { $0.database = .postgres(url: "postgres://loam@127.0.0.1:1/loam", schema: nil) },
            migrate: false
        ) { app in
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONDecoder().decode(ReadyBody.self, from: Data(response.body.readableBytesView))
                #expect(body.status == "down")
                #expect(body.components.first?.name == "database")
                #expect(body.components.first?.status == "down")
                // No connection string (which may hold a password) in the answer.
                #expect(!response.body.string.contains("postgres://"))
            }
            // The process itself still answers.
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
            }
        }
    }
}

private struct ReadyBody: Decodable {
    struct Component: Decodable {
        var name: String
        var status: String
        var latencyMs: Int?

        enum CodingKeys: String, CodingKey {
            case name, status
            case latencyMs = "latency_ms"
        }
    }
    var status: String
    var components: [Component]
}
