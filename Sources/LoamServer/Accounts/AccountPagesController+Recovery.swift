import Foundation
import Leaf
import Vapor

/// The pages behind mail links (confirm an address, reset a password) and "Can't sign in?".
///
/// A mail link's GET only shows a button; the POST does the work. Mail scanners and link previews
/// fetch every link they see, and must not use up a single-use link or confirm an address.
extension AccountPagesController {
    func bootRecovery(_ routes: any RoutesBuilder) {
        routes.get("verify-email", ":token", use: verifyEmailForm)
        routes.post("verify-email", ":token", use: verifyEmail)
        routes.get("reset-password", ":token", use: resetPasswordForm)
        routes.post("reset-password", ":token", use: resetPassword)
        routes.get("cant-sign-in", use: cantSignInPage)
        routes.post("cant-sign-in", use: requestRecovery)
    }

    struct LinkPage: Encodable {
        /// The form posts back to the page's own path, token included.
        var action: String
        var error: String?
    }

    struct LinkInvalidPage: Encodable {
        var detail: String
        /// Which new mail to ask for: "verify-email" or "reset-password".
        var purpose: String
    }

    private func linkAction(_ request: Request) -> String {
        request.url.path
    }

    private func linkInvalid(_ request: Request, purpose: String) async throws -> Response {
        let error = AccountError.linkInvalid
        return try await request.renderPage(
            "accounts/link-invalid", title: "Link expired or used",
            LinkInvalidPage(detail: error.detail, purpose: purpose),
            status: error.status)
    }

    // MARK: Confirming an address

    @Sendable
    func verifyEmailForm(request: Request) async throws -> Response {
        try await request.renderPage(
            "accounts/verify-email", title: "Confirm your address", LinkPage(action: linkAction(request)))
    }

    /// Proves the mailbox, sets the password and signs in: the end of sign-up.
    @Sendable
    func verifyEmail(request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        let form = try request.content.decode(ResetPasswordForm.self)
        do {
            let (_, issued) = try await request.application.accounts.completeVerification(
                token: token, newPassword: form.newPassword ?? "", context: request.clientContext)
            // The browser's earlier session, if any, was signed out with every other.
            request.auth.logout(Authenticated.self)
            return request.startSession(issued, goingTo: "/account?notice=\(Notice.addressConfirmed.rawValue)")
        } catch AccountError.linkInvalid {
            return try await linkInvalid(request, purpose: "verify-email")
        } catch let error as AccountError {
            return try await request.renderPage(
                "accounts/verify-email", title: "Confirm your address",
                LinkPage(action: linkAction(request), error: error.detail),
                status: error.status, headers: error.headers)
        }
    }

    // MARK: Resetting a password

    struct ResetPasswordForm: Content {
        var newPassword: String?

        enum CodingKeys: String, CodingKey {
            case newPassword = "new_password"
        }
    }

    @Sendable
    func resetPasswordForm(request: Request) async throws -> Response {
        try await request.renderPage(
            "accounts/reset-password", title: "Choose a new password", LinkPage(action: linkAction(request)))
    }

    @Sendable
    func resetPassword(request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        let form = try request.content.decode(ResetPasswordForm.self)
        do {
            _ = try await request.application.accounts.resetPassword(
                token: token, newPassword: form.newPassword ?? "", context: request.clientContext)
        } catch AccountError.linkInvalid {
            return try await linkInvalid(request, purpose: "reset-password")
        } catch let error as AccountError {
            return try await request.renderPage(
                "accounts/reset-password", title: "Choose a new password",
                LinkPage(action: linkAction(request), error: error.detail),
                status: error.status, headers: error.headers)
        }
        // Every session was signed out, this browser's too: its cookie is now worthless, so drop it.
        let configuration = request.application.loamConfiguration
        request.auth.logout(Authenticated.self)
        let response = try await request.renderPage("accounts/password-reset", title: "Password changed", EmptyPage())
        response.cookies[SessionCookie.name(for: configuration)] = SessionCookie.expired(configuration: configuration)
        return response
    }

    // MARK: Can't sign in?

    struct CantSignInPage: Encodable {
        var status: ServiceStatus
        /// True after the form was sent: the same words whatever the address was.
        var sent = false
        var unavailable = false
        /// Set when the limit on account mails was reached: what to wait for.
        var limited: String?
    }

    struct CantSignInForm: Content {
        var email: String?
    }

    @Sendable
    func cantSignInPage(request: Request) async throws -> Response {
        let status = await ServiceStatus.current(request.application)
        return try await request.renderPage(
            "accounts/cant-sign-in", title: "Can't sign in?", CantSignInPage(status: status))
    }

    /// Always the same answer, so the page never tells whether an account uses the address.
    @Sendable
    func requestRecovery(request: Request) async throws -> Response {
        let form = try request.content.decode(CantSignInForm.self)
        do {
            try await request.application.accounts.requestRecovery(
                email: form.email ?? "", context: request.clientContext)
        } catch let error as RateLimitError {
            // The same limit for every address, known or not: it reveals nothing.
            let status = await ServiceStatus.current(request.application)
            return try await request.renderPage(
                "accounts/cant-sign-in", title: "Can't sign in?", CantSignInPage(status: status, limited: error.detail),
                status: error.status, headers: error.headers)
        } catch {
            // Most likely the outage the status above describes; the same for every address, so it reveals nothing.
            request.logger.error(
                "recovery request failed", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
            let status = await ServiceStatus.current(request.application)
            return try await request.renderPage(
                "accounts/cant-sign-in", title: "Can't sign in?", CantSignInPage(status: status, unavailable: true),
                status: .serviceUnavailable)
        }
        let status = await ServiceStatus.current(request.application)
        return try await request.renderPage(
            "accounts/cant-sign-in", title: "Can't sign in?", CantSignInPage(status: status, sent: true))
    }
}

/// Whether Loam is up right now, in words a person who cannot sign in understands.
struct ServiceStatus: Encodable {
    struct Component: Encodable {
        var name: String
        var state: String
        var words: String
    }

    /// An essential component is down: nobody can sign in, whatever their account.
    var outage: Bool
    /// Something is not right but Loam works (mail is slow, say).
    var degraded: Bool
    var components: [Component]

    static func current(_ app: Application) async -> ServiceStatus {
        var components: [Component] = []
        var outage = false
        var degraded = false
        for check in app.readiness.registered {
            let report = await check.check(app)
            if report.state == .down && check.isEssential {
                outage = true
            } else if report.state != .ok {
                degraded = true
            }
            components.append(Component(name: check.name, state: report.state.rawValue, words: words(check, report)))
        }
        return ServiceStatus(outage: outage, degraded: degraded, components: components)
    }

    static func words(_ check: any ReadinessCheck, _ report: ComponentReport) -> String {
        switch (check.name, report.state) {
        case ("database", .ok): "The database answers."
        case ("database", _):
            "Loam cannot reach its database: this is an outage, not your account. Nobody can sign in until it is fixed; try again later."
        case ("mail", .ok): "Mail goes out normally."
        case ("mail", _): "Mail is delayed: a mail we send you may take a while to arrive."
        case (_, .ok): "Working."
        case (_, let state):
            "This part of Loam is \(state == .down ? "down" : "not working well")"
                + (report.detail.map { ": \($0)." } ?? ".")
        }
    }
}
