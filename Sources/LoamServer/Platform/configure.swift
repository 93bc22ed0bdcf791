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
    let hashingPool = PasswordHashing.makeThreadPool()
    app.lifecycle.use(PasswordHashingLifecycle(pool: hashingPool))
    app.passwordService = try PasswordHashing(
        hasher: app.passwordHashing, threadPool: hashingPool, capacity: configuration.passwordHashQueue)
    app.passwordPolicy = PasswordPolicy(commonPasswords: try loadCommonPasswords(app))
    ProblemType.registerAccountProblems()
    ProblemType.registerSignInMethodProblems()

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease

    configureJobsAndMail(app, configuration)
    app.oidcProviders = OIDCProviders(settings: configuration.oidcProviders, client: app.client, logger: app.logger)
    app.readiness.register(DatabaseReadinessCheck())
    app.readiness.register(MailReadinessCheck())

    // Outermost first: every response, errors included, gets a request id and the security headers,
    // and is logged once with its final status.
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(hsts: configuration.isHTTPS))
    app.middleware.use(RequestLoggingMiddleware())
    app.middleware.use(LoamErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRFMiddleware())

    try routes(app)
}

/// The job queue and its worker, the mail outbox and how mail leaves.
func configureJobsAndMail(_ app: Application, _ configuration: LoamConfiguration) {
    let databases = app.databases
    let eventLoopGroup = app.eventLoopGroup
    let logger = app.logger
    app.jobs = JobQueue(
        settings: .init(leaseDuration: TimeInterval(configuration.jobLeaseSeconds)), clock: app.clock, logger: logger,
        database: { databases.database(logger: logger, on: eventLoopGroup.any())! })
    app.jobWorker = JobWorker(queue: app.jobs, concurrency: configuration.workerConcurrency)
    if configuration.runsWorker {
        app.lifecycle.use(JobWorkerLifecycle(worker: app.jobWorker))
    }

    if let smtp = configuration.smtp {
        let client = SMTPClient(configuration: smtp, eventLoopGroup: eventLoopGroup, logger: logger)
        app.mailTransport = SMTPMailTransport(client: client)
        app.lifecycle.use(SMTPClientLifecycle(client: client))
    } else {
        // An outbox an earlier version left open to everyone is closed now, before the next mail lands in it.
        PrivateFiles.narrowFolder(configuration.outboxDirectory)
        app.mailTransport = FileMailTransport(directory: configuration.outboxDirectory, logger: logger)
    }
    app.mailer = Mailer(
        from: configuration.mailFrom, messageIDHost: configuration.mailFrom.domain, keyring: app.keyring, jobs: app.jobs,
        clock: app.clock)
    app.jobs.register(MailDeliveryJob(transport: { [unowned app] in app.mailTransport }, keyring: app.keyring, clock: app.clock))
    app.jobs.register(ImportUploadJob(app: { [unowned app] in app }))
}

/// Django's list of common passwords (Resources/Passwords, origin noted there).
func loadCommonPasswords(_ app: Application) throws -> String {
    let path = app.directory.resourcesDirectory + "Passwords/common-passwords.txt"
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ConfigurationError(variable: "LOAM_DATA_DIR", expected: "Loam's Resources folder beside it; \(path) is missing")
    }
    return String(decoding: data, as: UTF8.self)
}

func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: HealthController())
    try app.register(collection: SecurityTxtController())
    try app.register(collection: ProblemController())
    try app.register(collection: AccountsAPIController())
    try app.register(collection: SessionsAPIController())
    try app.register(collection: AccountPagesController())
    try app.register(collection: OIDCController())
    try app.register(collection: SignInMethodsPagesController())
    try app.register(collection: SignInMethodsAPIController())
    try app.register(collection: PeopleAPIController())
    try app.register(collection: InteractionsAPIController())
    try app.register(collection: DuplicatesAPIController())
    try app.register(collection: GroupsAPIController())
    try app.register(collection: PeoplePagesController())
    try app.register(collection: ImportPagesController())
    try app.register(collection: WorkspacesAPIController())
    try app.register(collection: WorkspaceSharingAPIController())
    try app.register(collection: WorkspacePagesController())
    try app.register(collection: InvitationPagesController())
    try app.register(collection: APIDocumentController())
}
