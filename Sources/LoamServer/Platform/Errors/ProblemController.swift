import Vapor

/// Serves `/problems/<slug>`: the page each problem+json `type` points at.
struct ProblemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("problems", ":slug", use: show)
    }

    @Sendable
    func show(request: Request) async throws -> View {
        guard let slug = request.parameters.get("slug"), let type = request.application.problemTypes.named(slug) else {
            throw Abort(.notFound)
        }
        return try await request.view.render(
            "problems/show", ["title": type.title, "explanation": type.explanation, "uri": type.uri])
    }
}
