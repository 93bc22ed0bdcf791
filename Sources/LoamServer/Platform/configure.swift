import Fluent
import Leaf
import LoamKit
import Vapor

/// Configures a Loam application: database, migrations, views, middleware and routes.
///
/// `loam serve`, `loam migrate` and the tests all come through here, so what the tests exercise
/// is what runs in production. Migrations are registered, not run: callers decide when to migrate.
public func configure(_ app: Application, _ configuration: LoamConfiguration) async throws {
    app.loamConfiguration = configuration
    app.http.server.configuration.hostname = configuration.hostname
    app.http.server.configuration.port = configuration.port
    app.routes.defaultMaxBodySize = "1mb"

    JSONCoding.install()
    try await app.configureDatabase(configuration.database)
    registerMigrations(app)

    let masterKey = try MasterKeyLoader.load(configuration.masterKey, logger: app.logger)
    app.keyring = Keyring(
        masterKeys: MasterKeyring(current: masterKey, retired: configuration.retiredMasterKeys), clock: app.clock)
    do {
        app.passwordHashing = try LoamKit.PasswordHasher(
            iterations: configuration.passwordIterations,
            allowInsecureIterationsForTesting: configuration.allowInsecurePasswordIterations)
    } catch {
        throw ConfigurationError(variable: "LOAM_PASSWORD_ITERATIONS", expected: "a whole number from 600000 to 10000000")
    }

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease

    app.readiness.register(DatabaseReadinessCheck())

    // Outermost first: every response, errors included, gets a request id and the security headers,
    // and is logged once with its final status.
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(hsts: configuration.isHTTPS))
    app.middleware.use(RequestLoggingMiddleware())
    app.middleware.use(LoamErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    try routes(app)
}

func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: HealthController())
    try app.register(collection: ProblemController())
}
