import Vapor

/// The OpenAPI document of the API.
struct APIDocumentFeature: LoamFeature {
    func registerRoutes(_ app: Application) throws {
        try app.register(collection: APIDocumentController())
    }
}
