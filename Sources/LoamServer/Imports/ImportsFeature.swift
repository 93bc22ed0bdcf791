import Fluent
import Vapor

/// Imports: files (mail, calendars, address books, contact lists, message counts) read into the user's people.
struct ImportsFeature: LoamFeature {
    var migrations: [any Migration] { [CreateImportRuns()] }

    /// An upload is too large to collect before its handler runs: the handler streams the form and checks its
    /// `csrf_token` part before it stores a byte of the file.
    func csrfExemptions(_ configuration: LoamConfiguration) -> CSRFExemptions {
        CSRFExemptions(streamedFormPaths: ["/imports"])
    }

    func registerJobs(on jobs: JobQueue, app: Application) {
        jobs.register(ImportUploadJob(app: { [unowned app] in app }))
    }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: ImportPagesController())
    }
}
