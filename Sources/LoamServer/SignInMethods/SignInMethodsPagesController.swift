import Fluent
import Vapor

/// The "Sign-in methods" page: the password and linked providers, with add and remove.
struct SignInMethodsPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let methods = routes.grouped("account", "sign-in-methods").signedInPages(landing: "/account/sign-in-methods")
        methods.get(use: show)
        methods.post("password", use: addPassword)
        methods.post(":method", "remove", use: remove)
    }

    struct MethodRow: Encodable {
        var id: String
        var kind: String
        var name: String
        var email: String
        var added: String
    }

    struct MethodsPage: Encodable {
        var methods: [MethodRow]
        var linkable: [ProviderButton]
        var hasPassword: Bool
        var canRemove: Bool
        var needsStepUp: Bool
        var notice: String?
        var error: String?
    }

    @Sendable
    func show(request: Request) async throws -> Response {
        _ = try request.requireAuthenticated()
        return try await render(request, notice: nil, error: nil)
    }

    @Sendable
    func addPassword(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let form = try request.content.decode(AccountPagesController.ChangePasswordForm.self)
        do {
            try await StepUp.require(request, currentPassword: form.currentPassword)
            try await request.application.signInMethods.addPassword(
                form.newPassword ?? "", to: authenticated.user, context: request.clientContext)
            return try await render(request, notice: "Your password is added: you can now sign in with it.", error: nil)
        } catch let error as any LoamError {
            return try await render(request, notice: nil, error: error.detail, status: error.status)
        }
    }

    @Sendable
    func remove(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let form = try request.content.decode(AccountPagesController.ChangePasswordForm.self)
        let id = request.parameters.get("method") ?? ""
        do {
            try await StepUp.require(request, currentPassword: form.currentPassword)
            try await request.application.signInMethods.remove(
                id, from: authenticated.user, context: request.clientContext)
            return try await render(request, notice: "Removed. We sent a mail about it to your address.", error: nil)
        } catch let error as any LoamError {
            return try await render(request, notice: nil, error: error.detail, status: error.status)
        }
    }

    private func render(_ request: Request, notice: String?, error: String?, status: HTTPResponseStatus = .ok)
        async throws
        -> Response
    {
        let authenticated = try request.requireAuthenticated()
        let user = authenticated.user
        let methods = try await request.application.signInMethods.methods(of: user)
        let linked = Set(methods.map(\.id))
        let dates = PageDates(timeZone: user.timeZone)
        let stale =
            request.application.clock.now().timeIntervalSince(authenticated.session.authenticatedAt) >= StepUp.freshness
        let page = MethodsPage(
            methods: methods.map {
                MethodRow(
                    id: $0.id, kind: $0.kind, name: $0.name, email: $0.email ?? "",
                    added: $0.addedAt.map(dates.format) ?? "")
            },
            linkable: request.application.oidcProviders.settings.filter { !linked.contains($0.id) }
                .map { ProviderButton(id: $0.id, name: $0.name) },
            hasPassword: user.passwordHash != nil, canRemove: methods.count > 1, needsStepUp: stale, notice: notice,
            error: error)
        return try await request.renderPage("accounts/sign-in-methods", title: "Sign-in methods", page, status: status)
    }
}
