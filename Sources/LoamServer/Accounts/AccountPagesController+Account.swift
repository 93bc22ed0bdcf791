import Fluent
import Foundation
import Leaf
import Vapor

/// `/account`: who you are, your live sessions, your password and your audit log.
extension AccountPagesController {
    func bootAccount(_ routes: any RoutesBuilder) {
        let account = routes.grouped("account").signedInPages(landing: "/account")
        account.get(use: accountPage)
        account.post("verification", use: resendVerification)
        account.post("password", use: changePassword)
        account.post("sessions", "revoke-others", use: revokeOthers)
        account.post("sessions", ":id", "revoke", use: revokeSession)
    }

    struct AccountPage: Encodable {
        var name: String
        var email: String
        var verified: Bool
        var notice: String?
        var passwordError: String?
        var sessions: [SessionItem]
        var events: [EventItem]
    }

    struct SessionItem: Encodable {
        var id: String
        var created: String
        var lastSeen: String
        var address: String
        var device: String
        var isCurrent: Bool
    }

    struct EventItem: Encodable {
        var time: String
        var kind: String
        var address: String
        var device: String
    }

    /// What a redirect back to the page says happened. Fixed phrases by key, so a link cannot make
    /// the page show text of its choosing.
    enum Notice: String, PageNotice {
        case verificationSent = "verification-sent"
        case verificationRecent = "verification-recent"
        case addressConfirmed = "address-confirmed"
        case passwordChanged = "password-changed"
        case sessionRevoked = "session-revoked"
        case othersRevoked = "others-revoked"

        var text: String {
            switch self {
            case .verificationSent: "We sent you a new confirmation mail. The link in it works for 24 hours."
            case .verificationRecent:
                "We sent you a confirmation mail a short while ago: check your mailbox, and its spam folder. You can ask for another in a few minutes."
            case .addressConfirmed: "Your address is confirmed and your password is set. Welcome to Loam."
            case .passwordChanged: "Your password is changed, and every other device is signed out."
            case .sessionRevoked: "That device is signed out."
            case .othersRevoked: "Every other device is signed out."
            }
        }
    }

    @Sendable
    func accountPage(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let notice = request.notice(Notice.self)
        return try await renderAccount(request, authenticated, notice: notice)
    }

    func renderAccount(
        _ request: Request, _ authenticated: Authenticated, notice: String? = nil, passwordError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = authenticated.user
        let dates = PageDates(timeZone: user.timeZone)
        let sessions = try await request.sessionStore.live(of: user).map { session in
            SessionItem(
                id: try session.requireID().uuidString, created: dates.format(session.createdAt),
                lastSeen: dates.format(session.lastSeenAt),
                address: session.clientAddress ?? "unknown", device: DeviceName.describe(session.device),
                isCurrent: session.id == authenticated.session.id)
        }
        let events = try await AuditEvent.query(on: request.db).filter(\.$user.$id == (try user.requireID()))
            .sort(\.$createdAt, .descending).limit(50).all().map { event in
                EventItem(
                    time: dates.format(event.createdAt), kind: event.kind.words,
                    address: event.clientAddress ?? "unknown",
                    device: DeviceName.describe(event.device))
            }
        let page = AccountPage(
            name: user.name, email: user.email, verified: user.isVerified, notice: notice, passwordError: passwordError,
            sessions: sessions, events: events)
        return try await request.renderPage("accounts/account", title: "Your account", page, status: status)
    }

    /// Sends a new confirmation mail, within the limit every account mail shares with the API.
    @Sendable
    func resendVerification(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let user = authenticated.user
        if user.isVerified { return request.seeOther("/account") }
        do {
            try await request.application.accounts.resendVerification(to: user, context: request.clientContext)
        } catch is RateLimitError {
            return request.seeOther("/account", notice: Notice.verificationRecent)
        }
        return request.seeOther("/account", notice: Notice.verificationSent)
    }

    struct ChangePasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    /// The service checks the current password and signs out every other session.
    @Sendable
    func changePassword(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        let form = try request.content.decode(ChangePasswordForm.self)
        do {
            try await request.application.accounts.changePassword(
                user: authenticated.user, currentPassword: form.currentPassword ?? "",
                newPassword: form.newPassword ?? "",
                keeping: authenticated.session, context: request.clientContext)
        } catch let error as AccountError {
            return try await renderAccount(request, authenticated, passwordError: error.detail, status: error.status)
        }
        return request.seeOther("/account", notice: Notice.passwordChanged)
    }

    /// Another user's session id answers 404, exactly like one that does not exist.
    @Sendable
    func revokeSession(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        guard let id = request.parameters.get("id", as: UUID.self),
            let session = try await UserSession.query(on: request.db).filter(\.$id == id)
                .filter(\.$user.$id == (try authenticated.user.requireID())).filter(\.$revokedAt == nil).first()
        else { throw Abort(.notFound) }
        try await request.sessionStore.revoke(session, on: request.db)
        try await request.application.accounts.audit(
            authenticated.user, .sessionRevoked, request.clientContext, on: request.db)
        // Revoking this very session is signing out.
        if session.id == authenticated.session.id { return endSession(request, goingTo: "/") }
        return request.seeOther("/account", notice: Notice.sessionRevoked)
    }

    /// "Sign out everywhere else".
    @Sendable
    func revokeOthers(request: Request) async throws -> Response {
        let authenticated = try request.requireAuthenticated()
        try await request.sessionStore.revokeAll(
            of: authenticated.user, except: authenticated.session.id, on: request.db)
        try await request.application.accounts.audit(
            authenticated.user, .otherSessionsRevoked, request.clientContext, on: request.db)
        return request.seeOther("/account", notice: Notice.othersRevoked)
    }
}
