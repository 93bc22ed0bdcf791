import Fluent
import Vapor

/// Sensitive changes (password, address, sign-in methods, export, deletion) need a recent proof of
/// identity: a sign-in within the last 15 minutes, or the current password sent with the request.
enum StepUp {
    static let freshness: TimeInterval = 15 * 60

    /// Nothing behind step-up happens on an account whose mailbox is not proven. A current password sent
    /// here is checked as a sign-in of the account: throttled, and audited when wrong.
    static func require(_ request: Request, currentPassword: String?) async throws {
        let authenticated = try request.requireAuthenticated()
        guard authenticated.user.isVerified else { throw AccountError.emailUnverified }
        let now = request.application.clock.now()
        if now.timeIntervalSince(authenticated.session.authenticatedAt) < freshness { return }
        guard let currentPassword else { throw AccountError.reauthenticationRequired }
        try await request.application.accounts.checkCurrentPassword(
            of: authenticated.user, currentPassword, context: request.clientContext)
        authenticated.session.authenticatedAt = now
        try await request.db.serializedWrite { try await authenticated.session.save(on: request.db) }
    }
}
