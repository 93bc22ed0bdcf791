import Fluent
import Vapor

/// Sign-in methods: OpenID Connect providers, linking and unlinking them.
struct SignInMethodsFeature: LoamFeature {
    var migrations: [any Migration] { [CreateExternalIdentities(), CreatePreAuthentications()] }

    var problemTypes: [ProblemType] { ProblemType.signInMethodTypes }

    /// A provider answering with `form_post` (Sign in with Apple) posts its callback from its own site, by design;
    /// the callback is checked by its single-use `state`, the nonce in its ID token and the PKCE verifier Loam alone holds.
    func csrfExemptions(_ configuration: LoamConfiguration) -> CSRFExemptions {
        CSRFExemptions(
            crossSitePaths: Set(configuration.oidcProviders.filter(\.usesFormPost).map { "/auth/\($0.id)/callback" }))
    }

    func configure(_ app: Application) throws {
        app.oidcProviders = OIDCProviders(
            settings: app.loamConfiguration.oidcProviders, client: app.client, logger: app.logger)
    }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: OIDCController())
        try app.register(collection: SignInMethodsPagesController())
        try app.register(collection: SignInMethodsAPIController())
    }
}
