import Fluent
import Leaf
import LoamKit
import Vapor

extension Application {
    /// Platform's part of start-up: configuration, database, keyring, views, the job queue and the mail outbox.
    /// Features come after (`configure(_:_:)` in the application root).
    func configurePlatform(_ configuration: LoamConfiguration) async throws {
        loamConfiguration = configuration
        http.server.configuration.hostname = configuration.hostname
        http.server.configuration.port = configuration.port
        routes.defaultMaxBodySize = "1mb"

        JSONCoding.install()
        try await configureDatabase(configuration.database)
        migrations.add(PlatformMigrations.all)

        let masterKey = try MasterKeyLoader.load(configuration.masterKey, logger: logger)
        keyring = Keyring(
            masterKeys: MasterKeyring(current: masterKey, retired: configuration.retiredMasterKeys), clock: clock)

        views.use(.leaf)
        leaf.cache.isEnabled = environment.isRelease

        configureJobsAndMail(configuration)
        readiness.register(DatabaseReadinessCheck())
        readiness.register(MailReadinessCheck())
    }

    /// Outermost first: every response, errors included, gets a request id and the security headers, and is
    /// logged once with its final status. The features' middleware (finding who is signed in) runs before the
    /// form-token check, which needs to know.
    func installMiddleware(features: [any AsyncMiddleware], csrfExemptions: CSRFExemptions) {
        middleware = Middlewares()
        middleware.use(RequestIDMiddleware())
        middleware.use(SecurityHeadersMiddleware(hsts: loamConfiguration.isHTTPS))
        middleware.use(RequestLoggingMiddleware())
        middleware.use(LoamErrorMiddleware())
        middleware.use(FileMiddleware(publicDirectory: directory.publicDirectory))
        for feature in features {
            middleware.use(feature)
        }
        middleware.use(CSRFMiddleware(exemptions: csrfExemptions))
    }

    /// The job queue and its worker, the mail outbox and how mail leaves.
    private func configureJobsAndMail(_ configuration: LoamConfiguration) {
        let databases = databases
        let eventLoopGroup = eventLoopGroup
        let logger = logger
        jobs = JobQueue(
            settings: .init(leaseDuration: TimeInterval(configuration.jobLeaseSeconds)), clock: clock, logger: logger,
            database: { databases.database(logger: logger, on: eventLoopGroup.any())! })
        jobWorker = JobWorker(queue: jobs, concurrency: configuration.workerConcurrency)
        if configuration.runsWorker {
            lifecycle.use(JobWorkerLifecycle(worker: jobWorker))
        }

        if let smtp = configuration.smtp {
            let client = SMTPClient(configuration: smtp, eventLoopGroup: eventLoopGroup, logger: logger)
            mailTransport = SMTPMailTransport(client: client)
            lifecycle.use(SMTPClientLifecycle(client: client))
        } else {
            // An outbox an earlier version left open to everyone is closed now, before the next mail lands in it.
            PrivateFiles.narrowFolder(configuration.outboxDirectory)
            mailTransport = FileMailTransport(directory: configuration.outboxDirectory, logger: logger)
        }
        mailer = Mailer(
            from: configuration.mailFrom, messageIDHost: configuration.mailFrom.domain, keyring: keyring, jobs: jobs,
            clock: clock)
        jobs.register(
            MailDeliveryJob(transport: { [unowned self] in self.mailTransport }, keyring: keyring, clock: clock))
    }

    /// Platform's own pages: `/problems/<slug>`.
    func registerPlatformRoutes() throws {
        try register(collection: ProblemController())
    }
}

/// Platform's own tables. They run before every feature's, in this order; never edit one that has landed.
enum PlatformMigrations {
    static var all: [any Migration] { [CreateDataKeys(), CreateJobs(), CreateOutboxMails(), CreateRateLimits()] }
}
