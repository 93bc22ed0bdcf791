import Fluent
import Vapor

/// Configures a Loam application: Platform first, then every feature of `LoamFeatures.all`, in its order.
///
/// `loam serve`, `loam migrate` and the tests all come through here, so what the tests exercise
/// is what runs in production. Migrations are registered, not run: callers decide when to migrate.
public func configure(_ app: Application, _ configuration: LoamConfiguration) async throws {
    let features = LoamFeatures.all
    try await app.configurePlatform(configuration)
    var problemTypes = ProblemTypes()
    var exemptions = CSRFExemptions()
    for feature in features {
        app.migrations.add(feature.migrations)
        problemTypes.register(feature.problemTypes)
        exemptions.formUnion(feature.csrfExemptions(configuration))
        try feature.configure(app)
        feature.registerJobs(on: app.jobs, app: app)
    }
    app.problemTypes = problemTypes
    app.installMiddleware(features: features.flatMap(\.middleware), csrfExemptions: exemptions)
    try app.registerPlatformRoutes()
    for feature in features {
        try feature.registerRoutes(app)
    }
}
