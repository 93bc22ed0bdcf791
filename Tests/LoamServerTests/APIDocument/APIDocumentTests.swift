import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("OpenAPI document")
struct APIDocumentTests {
    @Test("/api/v1/openapi.json documents every API route, and nothing that is not a route")
    func documentMatchesRouteTable() async throws {
        try await withLoamApp { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }

            var routed: Set<String> = []
            for route in app.routes.all where route.path.first?.description == "api" {
                let path =
                    "/"
                    + route.path.map { component in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                routed.insert("\(route.method.rawValue) \(path)")
            }
            #expect(
                routed.subtracting(documented).isEmpty,
                "routes missing from the document: \(routed.subtracting(documented).sorted())")
            #expect(
                documented.subtracting(routed).isEmpty,
                "documented but not routes: \(documented.subtracting(routed).sorted())")
            #expect(routed.count > 30)

            // Each path parameter is declared, and each operation says what it answers.
            for (path, operations) in paths {
                for (method, value) in operations {
                    let operation = try #require(value as? [String: Any])
                    let declared = Set(
                        (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" }
                            .compactMap { $0["name"] as? String })
                    #expect(declared == Set(APIDocument.pathParameters(path)), "\(method) \(path)")
                    #expect(!(operation["responses"] as? [String: Any] ?? [:]).isEmpty, "\(method) \(path)")
                }
            }
        }
    }
}
