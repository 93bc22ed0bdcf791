import Vapor

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, public like any API reference.
struct APIDocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "v1", "openapi.json", use: document)
    }

    @Sendable
    func document(request: Request) async throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try APIDocument.json()))
    }
}
