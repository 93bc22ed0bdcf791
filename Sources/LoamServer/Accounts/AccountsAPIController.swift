import Fluent
import Foundation
import Vapor

/// `/api/v1/accounts` and `/api/v1/account`: sign-up, the signed-in account, password, recovery, audit.
struct AccountsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.post("accounts", use: signUp)
        api.post("accounts", "verify", use: verify)
        api.post("account", "recovery", use: recover)
        let account = api.grouped("account")
        account.get(use: show)
        account.post("password", use: changePassword)
        account.post("verification", use: resendVerification)
        account.get("audit", use: auditLog)
        account.patch(use: updateSettings)
        account.post("email", use: requestEmailChange)
        account.post("email", "confirm", use: confirmEmailChange)
        account.post("email", "undo", use: undoEmailChange)
    }

    /// 202 for a new and a taken address alike: the link to choose a password goes by mail.
    @Sendable
    func signUp(request: Request) async throws -> Response {
        let body = try request.content.decode(SignUpRequest.self)
        try await request.application.accounts.signUp(
            email: body.email, name: body.name, context: request.clientContext)
        return try await SignUpAccepted().encodeResponse(status: .accepted, for: request)
    }

    /// The verification mail's token and a password: confirms the address and signs in,
    /// 201 `{token, expires_at, session_id}` like `POST /api/v1/sessions`.
    @Sendable
    func verify(request: Request) async throws -> Response {
        let body = try request.content.decode(VerificationRequest.self)
        let (_, issued) = try await request.application.accounts.completeVerification(
            token: body.token, newPassword: body.password, context: request.clientContext)
        return try await SignInResponse.created(issued, for: request)
    }

    @Sendable
    func show(request: Request) async throws -> AccountDTO {
        try await AccountDTO.of(try request.requireAuthenticated().user, request)
    }

    /// Always 202 with the same body, whether or not the address has an account.
    @Sendable
    func recover(request: Request) async throws -> Response {
        let body = try request.content.decode(RecoveryRequest.self)
        try await request.application.accounts.requestRecovery(email: body.email, context: request.clientContext)
        return try await RecoveryAccepted().encodeResponse(status: .accepted, for: request)
    }

    @Sendable
    func changePassword(request: Request) async throws -> HTTPStatus {
        let authenticated = try request.requireAuthenticated()
        let body = try request.content.decode(PasswordChangeRequest.self)
        try await request.application.accounts.changePassword(
            user: authenticated.user, currentPassword: body.currentPassword, newPassword: body.newPassword,
            keeping: authenticated.session, context: request.clientContext)
        return .noContent
    }

    @Sendable
    func updateSettings(request: Request) async throws -> AccountDTO {
        let user = try request.requireAuthenticated().user
        let body = try request.content.decode(SettingsUpdate.self)
        try await request.application.accounts.updateSettings(
            user: user, name: body.name, timeZone: body.timeZone, phoneRegion: body.phoneRegion,
            context: request.clientContext)
        return try await AccountDTO.of(user, request)
    }

    /// Needs a recent sign-in or `current_password` (step-up); 202 and a mail to the new address.
    @Sendable
    func requestEmailChange(request: Request) async throws -> Response {
        let body = try request.content.decode(EmailChangeRequest.self)
        try await StepUp.require(request, currentPassword: body.currentPassword)
        try await request.application.accounts.requestEmailChange(
            user: try request.requireAuthenticated().user, newEmail: body.newEmail, context: request.clientContext)
        return Response(status: .accepted)
    }

    /// The token is the proof (it came to the new mailbox): no session needed.
    @Sendable
    func confirmEmailChange(request: Request) async throws -> AccountDTO {
        let body = try request.content.decode(TokenRequest.self)
        return try await AccountDTO.of(
            try await request.application.accounts.confirmEmailChange(
                token: body.token, context: request.clientContext), request)
    }

    @Sendable
    func undoEmailChange(request: Request) async throws -> AccountDTO {
        let body = try request.content.decode(TokenRequest.self)
        return try await AccountDTO.of(
            try await request.application.accounts.undoEmailChange(token: body.token, context: request.clientContext),
            request)
    }

    /// A new confirmation mail, through the same limit as every account mail (429 with Retry-After).
    @Sendable
    func resendVerification(request: Request) async throws -> Response {
        let user = try request.requireAuthenticated().user
        try await request.application.accounts.resendVerification(to: user, context: request.clientContext)
        return Response(status: .accepted)
    }

    @Sendable
    func auditLog(request: Request) async throws -> Page<AuditEventDTO> {
        let user = try request.requireAuthenticated().user
        let limit = request.listLimit()
        // Keyset paging on the id of the last event seen. The order is computed from (created_at, id)
        // read back from the database, so no timestamp is ever re-encoded for a comparison.
        let ordered = try await AuditEvent.query(on: request.db).filter(\.$user.$id == (try user.requireID()))
            .field(\.$id).field(\.$createdAt).all()
            .sorted {
                ($0.createdAt ?? .distantPast, $0.id?.uuidString ?? "") > (
                    $1.createdAt ?? .distantPast, $1.id?.uuidString ?? ""
                )
            }
            .compactMap(\.id)
        var start = 0
        if let after = try ListCursor.decode(request.listCursor, list: "audit", as: UUID.self) {
            guard let index = ordered.firstIndex(of: after) else { throw ListCursorError() }
            start = index + 1
        }
        let pageIDs = Array(ordered.dropFirst(start).prefix(limit))
        let rows = try await AuditEvent.query(on: request.db).filter(\.$id ~~ pageIDs).all()
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.id.map { ($0, row) } })
        let page = pageIDs.compactMap { byID[$0] }
        let next = start + limit < ordered.count ? pageIDs.last.map { ListCursor.encode($0, list: "audit") } : nil
        return Page(items: try page.map(AuditEventDTO.init), nextCursor: next)
    }
}
