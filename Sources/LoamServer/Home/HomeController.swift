import Vapor

/// The landing page: what Loam is.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: index)
    }

    @Sendable
    func index(request: Request) async throws -> Response {
        // Through the shared page renderer, so the header shows who is signed in.
        try await request.renderPage("home/index", title: "Your network, on your own server", EmptyPage())
    }
}
