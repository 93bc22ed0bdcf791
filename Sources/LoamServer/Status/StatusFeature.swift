import Vapor

/// Status: health and readiness for operators, and `security.txt` for those who report holes.
struct StatusFeature: LoamFeature {
    func registerRoutes(_ app: Application) throws {
        try app.register(collection: HealthController())
        try app.register(collection: SecurityTxtController())
    }
}
