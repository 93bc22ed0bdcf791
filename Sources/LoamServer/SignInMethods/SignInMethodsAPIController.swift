import Fluent
import Vapor

/// `/api/v1/account/sign-in-methods`: list, add a password, remove a method. Linking a provider needs the
/// person at the provider's own page, so it starts from the web page (`POST /auth/<id>/link`).
struct SignInMethodsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let methods = routes.grouped("api", "v1", "account", "sign-in-methods")
        methods.get(use: list)
        methods.post("password", use: addPassword)
        methods.delete(":method", use: remove)
    }

    struct MethodsResponse: Content {
        var methods: [SignInMethodsService.Method]
        /// Configured providers not linked yet; link them from `link_url` in a browser.
        var availableProviders: [ProviderButton]
        var linkURL: String
    }

    struct AddPasswordRequest: Content {
        var newPassword: String
        var currentPassword: String?
    }

    struct RemoveRequest: Content {
        var currentPassword: String?
    }

    @Sendable
    func list(request: Request) async throws -> MethodsResponse {
        try await response(for: try request.requireAuthenticated().user, request)
    }

    @Sendable
    func addPassword(request: Request) async throws -> Response {
        let user = try request.requireAuthenticated().user
        let body = try request.content.decode(AddPasswordRequest.self)
        try await StepUp.require(request, currentPassword: body.currentPassword)
        try await request.application.signInMethods.addPassword(
            body.newPassword, to: user, context: request.clientContext)
        return try await response(for: user, request).encodeResponse(status: .created, for: request)
    }

    @Sendable
    func remove(request: Request) async throws -> MethodsResponse {
        let user = try request.requireAuthenticated().user
        let body = (try? request.content.decode(RemoveRequest.self)) ?? RemoveRequest()
        try await StepUp.require(request, currentPassword: body.currentPassword)
        try await request.application.signInMethods.remove(
            request.parameters.get("method") ?? "", from: user, context: request.clientContext)
        return try await response(for: user, request)
    }

    private func response(for user: User, _ request: Request) async throws -> MethodsResponse {
        let methods = try await request.application.signInMethods.methods(of: user)
        let linked = Set(methods.map(\.id))
        return MethodsResponse(
            methods: methods,
            availableProviders: request.application.oidcProviders.settings.filter { !linked.contains($0.id) }
                .map { ProviderButton(id: $0.id, name: $0.name) },
            linkURL: request.application.loamConfiguration.baseURL.appendingPathComponent("account")
                .appendingPathComponent("sign-in-methods").absoluteString)
    }
}
