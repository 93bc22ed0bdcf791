import Fluent
import Foundation
import Vapor

/// `/invitations/{token}`: opening a link changes nothing (mail scanners and previews cannot use it up)
/// and answers every case in its own words: a new address signs up here, an existing one signs in and
/// comes back, the right account joins with one click, another account is told so and can switch, and an
/// expired, revoked or used link says so, with who to ask. "Session expired" is never the answer.
struct InvitationPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let invitation = routes.grouped("invitations", ":token")
        invitation.get(use: page)
        invitation.post("accept", use: accept)
        invitation.post("sign-up", use: signUp)
        invitation.post("switch", use: switchAccount)
        invitation.post("request-resend", use: requestResend)
    }

    struct InvitationPage: Encodable {
        /// Opened through the mail's link.
        var proven: Bool
        var token: String
        var workspace: String
        var inviter: String
        var inviterEmail: String
        var email: String
        var role: String
        var expires: String
        /// `join`, `sign-up`, `sign-in`, `choose` (sign in or create, for the copyable link), `mailed`,
        /// `other-account`, `expired`, `revoked`, `accepted`.
        var mode: String
        var signedInAs: String?
        var when: String?
        var nextPath: String
        var notice: String?
        var error: String?
        var name = ""
    }

    struct SignUpForm: Content {
        var name: String?
        var password: String?
    }

    enum Notice: String, PageNotice {
        case resendRequested = "resend-requested"
        case resendRecent = "resend-recent"

        var text: String {
            switch self {
            case .resendRequested: "We asked them by mail to send you a new invitation."
            case .resendRecent: "You asked for a new invitation less than an hour ago; they have been told."
            }
        }
    }

    @Sendable
    func page(request: Request) async throws -> Response {
        guard let opened = try await open(request) else { return try await invalid(request) }
        let notice = request.notice(Notice.self)
        return try await render(request, opened, notice: notice, error: nil, status: .ok)
    }

    @Sendable
    func accept(request: Request) async throws -> Response {
        guard let opened = try await open(request) else { return try await invalid(request) }
        guard let user = request.auth.get(Authenticated.self)?.user else { return request.seeOther(path(request)) }
        do {
            try await request.application.invitations.accept(opened, as: user)
        } catch let error as InvitationError {
            return try await render(request, opened, notice: nil, error: Self.words(error), status: .conflict)
        }
        return request.seeOther(
            "/workspaces/\(try opened.workspace.requireID())", notice: WorkspacePagesController.Notice.joined)
    }

    /// An account for the invited address. Through the mail's link (which proves the mailbox) the account is
    /// confirmed: a new one outright, one nobody had proven by removing every way in from before. Through the
    /// copyable link a new account stays unconfirmed (banner, confirmation mail) until its mailbox is proven,
    /// and for an address that has an account the page only says that a mail went to it.
    @Sendable
    func signUp(request: Request) async throws -> Response {
        guard let opened = try await open(request) else { return try await invalid(request) }
        let form = try request.content.decode(SignUpForm.self)
        let app = request.application
        let accounts = app.accounts
        guard opened.state != .accepted, opened.state != .revoked, opened.state != .expired else {
            return try await render(request, opened, notice: nil, error: nil, status: .conflict)
        }
        let password = form.password ?? ""
        let name = form.name ?? ""
        let joined =
            "/workspaces/\(try opened.workspace.requireID())?notice=\(WorkspacePagesController.Notice.joined.rawValue)"
        let existing = try await User.query(on: request.db).filter(\.$email == opened.invitation.email).first()
        do {
            if let existing {
                guard opened.mailboxProven, !existing.isVerified else {
                    if !opened.mailboxProven {
                        try await app.invitations.mailExistingInvitee(opened, context: request.clientContext)
                    }
                    return try await render(
                        request, opened, notice: Self.mailedNotice, error: nil, status: .ok, forceMode: "mailed")
                }
                let issued = try await app.invitations.proveAndJoin(
                    opened, user: existing, password: password, name: name,
                    context: request.clientContext)
                request.auth.logout(Authenticated.self)
                return request.startSession(issued, goingTo: joined)
            }
            let user = try await accounts.createAccount(
                email: opened.invitation.email, password: password, name: name, verified: opened.mailboxProven,
                context: request.clientContext)
            try await app.invitations.accept(opened, as: user)
            let (_, issued) = try await accounts.signIn(
                email: user.email, password: password, context: request.clientContext)
            return request.startSession(issued, goingTo: joined)
        } catch let error as any LoamError where error is AccountError || error is RateLimitError {
            return try await render(
                request, opened, notice: nil, error: error.detail, status: error.status, name: name,
                headers: error.headers)
        }
    }

    static let mailedNotice =
        "We sent a mail to the invited address. Open the link in it to join: if an account already uses the address, sign in with it from there."

    /// Signs out the account that is not invited and comes back to the same invitation.
    @Sendable
    func switchAccount(request: Request) async throws -> Response {
        try await AccountPagesController().signOut(request, goingTo: path(request))
    }

    @Sendable
    func requestResend(request: Request) async throws -> Response {
        guard let opened = try await open(request) else { return try await invalid(request) }
        guard opened.state == .expired || opened.state == .revoked || opened.state == .accepted else {
            return request.seeOther(path(request))
        }
        do {
            try await request.application.invitations.requestResend(opened)
            return request.seeOther(path(request), notice: Notice.resendRequested)
        } catch InvitationError.resendRequestedRecently {
            return request.seeOther(path(request), notice: Notice.resendRecent)
        }
    }

    // MARK: Rendering

    private func render(
        _ request: Request, _ opened: OpenedInvitation, notice: String?, error: String?, status: HTTPResponseStatus,
        name: String = "",
        headers extra: HTTPHeaders = [:], forceMode: String? = nil
    ) async throws -> Response {
        let invitation = opened.invitation
        let viewer = request.auth.get(Authenticated.self)?.user
        let format = InvitationService.format
        var mode: String
        var when: String?
        switch opened.state {
        case .accepted:
            mode = "accepted"
            when = invitation.acceptedAt.map(format)
        case .revoked:
            mode = "revoked"
            when = invitation.revokedAt.map(format)
        case .expired:
            mode = "expired"
            when = format(invitation.expiresAt)
        case .queued, .sent, .failed:
            if let viewer, User.normalize(email: viewer.email) == invitation.email {
                // The mail's link in the hands of an unconfirmed account: proving the mailbox means choosing a password.
                mode = opened.mailboxProven && !viewer.isVerified ? "sign-up" : "join"
            } else if viewer != nil {
                mode = "other-account"
            } else if opened.mailboxProven {
                // Only the mail's link may tell whether the address has an account, and take the shortcut.
                let existing = try await User.query(on: request.db).filter(\.$email == invitation.email).first()
                mode = existing?.isVerified == true ? "sign-in" : "sign-up"
            } else {
                mode = "choose"
            }
        }
        let page = InvitationPage(
            proven: opened.mailboxProven,
            token: request.parameters.get("token") ?? "", workspace: opened.workspace.name,
            inviter: opened.inviter.name,
            inviterEmail: opened.inviter.email, email: invitation.email, role: invitation.role,
            expires: format(invitation.expiresAt),
            mode: mode, signedInAs: viewer?.email, when: when, nextPath: path(request), notice: notice, error: error,
            name: name)
        if let forceMode { mode = forceMode }
        var headers = extra
        // The link is a credential: keep it out of the Referer of anything the page links to.
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return try await request.renderPage(
            "workspaces/invitation", title: "Invitation to \(opened.workspace.name)", page, status: status,
            headers: headers)
    }

    private func invalid(_ request: Request) async throws -> Response {
        try await request.renderPage(
            "workspaces/invitation-invalid", title: "Invitation link not recognised", EmptyPage(), status: .notFound)
    }

    private func open(_ request: Request) async throws -> OpenedInvitation? {
        guard let token = request.parameters.get("token"), token.count <= 200 else { return nil }
        return try await request.application.invitations.open(token: token)
    }

    private func path(_ request: Request) -> String {
        "/invitations/\(request.parameters.get("token") ?? "")"
    }

    static func words(_ error: InvitationError) -> String {
        switch error {
        case .otherAddress: "This invitation is for another address than the account you are signed in with."
        case .notOpen(let state): "This invitation is \(state.rawValue), so it can no longer be used."
        case .resendRequestedRecently: "You asked for a new invitation less than an hour ago."
        }
    }
}
