import Fluent
import Vapor

/// Sessions: who is signed in, on which devices, and the proof a sensitive change needs.
struct SessionsFeature: LoamFeature {
    var migrations: [any Migration] { [CreateSessions()] }

    var middleware: [any AsyncMiddleware] { [SessionAuthenticator()] }

    func configure(_ app: Application) throws {
        // The page header and the form tokens ask Platform who is signed in; this is how it finds out.
        app.pageViewerLookup = { request in
            request.auth.get(Authenticated.self).map { PageViewer(name: $0.user.name) }
        }
    }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: SessionsAPIController())
    }
}
