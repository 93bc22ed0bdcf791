import Vapor

/// The landing page: what Loam is.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
    }

    @Sendable
    func index(request: Request) async throws -> View {
        try await request.view.render("home/index", ["title": "Loam"])
    }
}
