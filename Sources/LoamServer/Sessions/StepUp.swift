import Fluent
import Vapor

/// Sensitive changes (password, address, sign-in methods, export, deletion) need a recent proof of
/// identity: a sign-in within the last 15 minutes, or the current password sent with the request.
enum StepUp {
    static let freshness: TimeInterval = 15 * 60

    static func require(_ request: Request, currentPassword: String?) async throws {
        let authenticated = try request.requireAuthenticated()
        let now = request.application.clock.now()
        if now.timeIntervalSince(authenticated.session.authenticatedAt) < freshness { return }
        guard let currentPassword,
            try await request.application.passwordService.verify(currentPassword, against: authenticated.user.passwordHash)
        else { throw AccountError.reauthenticationRequired }
        authenticated.session.authenticatedAt = now
        try await request.db.serializedWrite { try await authenticated.session.save(on: request.db) }
    }
}
