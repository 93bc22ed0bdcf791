import Fluent
import Vapor

/// A part of Loam that owns its rooms: the tables it migrates, the routes it serves, the problem types it can
/// answer with, the jobs it runs and the paths it exempts from the form-token check.
///
/// Platform knows no feature by name. The application root (`Features.swift`) lists them once, in the order
/// their migrations run, and `configure(_:_:)` asks each one for what it brings.
protocol LoamFeature: Sendable {
    /// This feature's migrations, in the order they run. Never edit one that has landed: add a new one.
    var migrations: [any Migration] { get }

    /// The problem types this feature answers with, so `/problems/<slug>` can explain them.
    var problemTypes: [ProblemType] { get }

    /// Middleware every request passes, after static files and before the form-token check (for example,
    /// finding who is signed in).
    var middleware: [any AsyncMiddleware] { get }

    /// Paths outside `/api` that check their own proof instead of the form token; see `CSRFExemptions`.
    func csrfExemptions(_ configuration: LoamConfiguration) -> CSRFExemptions

    /// Sets up the services this feature keeps on the application. Runs after Platform's own set-up and
    /// before any feature's routes, in the features' order.
    func configure(_ app: Application) throws

    /// The background jobs this feature runs.
    func registerJobs(on jobs: JobQueue, app: Application)

    func registerRoutes(_ app: Application) throws
}

extension LoamFeature {
    var migrations: [any Migration] { [] }
    var problemTypes: [ProblemType] { [] }
    var middleware: [any AsyncMiddleware] { [] }
    func csrfExemptions(_ configuration: LoamConfiguration) -> CSRFExemptions { CSRFExemptions() }
    func configure(_ app: Application) throws {}
    func registerJobs(on jobs: JobQueue, app: Application) {}
    func registerRoutes(_ app: Application) throws {}
}

/// Paths that skip the form-token check of `CSRFMiddleware`, each for a reason of its own.
struct CSRFExemptions: Sendable {
    /// Paths that other sites post to on purpose and that carry their own proof instead (a provider's
    /// `form_post` callback, checked by its single-use state, nonce and PKCE verifier).
    var crossSitePaths: Set<String> = []
    /// Uploads too large to collect before the handler runs: the handler streams the form and checks its
    /// `csrf_token` part (`Request.csrfTokenMatches`) before it stores a byte of the file.
    var streamedFormPaths: Set<String> = []

    mutating func formUnion(_ other: CSRFExemptions) {
        crossSitePaths.formUnion(other.crossSitePaths)
        streamedFormPaths.formUnion(other.streamedFormPaths)
    }
}
