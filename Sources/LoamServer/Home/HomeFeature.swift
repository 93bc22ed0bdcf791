import Vapor

/// Home: the landing page.
struct HomeFeature: LoamFeature {
    func registerRoutes(_ app: Application) throws {
        try app.register(collection: HomeController())
    }
}
