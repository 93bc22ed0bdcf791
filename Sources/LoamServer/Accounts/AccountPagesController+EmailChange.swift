import Foundation
import Leaf
import Vapor

/// The pages behind the two email-change links: confirm the new address, or move back to the old one.
/// As with every mail link, GET only shows a button and POST does the work.
extension AccountPagesController {
    func bootEmailChange(_ routes: any RoutesBuilder) {
        routes.get("confirm-email", ":token", use: confirmEmailForm)
        routes.post("confirm-email", ":token", use: confirmEmail)
        routes.get("undo-email-change", ":token", use: undoEmailChangeForm)
        routes.post("undo-email-change", ":token", use: undoEmailChange)
    }

    struct ConfirmLinkPage: Encodable {
        var action: String
        var heading: String
        var explanation: String
        var button: String
    }

    struct DonePage: Encodable {
        var heading: String
        var message: String
    }

    @Sendable
    func confirmEmailForm(request: Request) async throws -> Response {
        try await request.renderPage(
            "accounts/confirm-link", title: "Confirm your new address",
            ConfirmLinkPage(
                action: request.url.path, heading: "Confirm your new address",
                explanation: "Press the button to move your Loam account to this address. Your old address will be told, and can undo it for 7 days.",
                button: "Use this address"))
    }

    @Sendable
    func confirmEmail(request: Request) async throws -> Response {
        do {
            _ = try await request.application.accounts.confirmEmailChange(
                token: request.parameters.get("token") ?? "", context: request.clientContext)
        } catch AccountError.linkInvalid {
            return try await linkInvalidPage(request)
        }
        return try await request.renderPage(
            "accounts/done", title: "Address changed",
            DonePage(heading: "Your address is changed", message: "Loam now writes to this address; sign in with it from now on."))
    }

    @Sendable
    func undoEmailChangeForm(request: Request) async throws -> Response {
        try await request.renderPage(
            "accounts/confirm-link", title: "Move your account back",
            ConfirmLinkPage(
                action: request.url.path, heading: "Move your account back to this address",
                explanation: "If you did not change your address, press the button: the account returns to this address and every session is signed out. Then reset your password.",
                button: "Move it back and sign everyone out"))
    }

    @Sendable
    func undoEmailChange(request: Request) async throws -> Response {
        do {
            _ = try await request.application.accounts.undoEmailChange(
                token: request.parameters.get("token") ?? "", context: request.clientContext)
        } catch AccountError.linkInvalid {
            return try await linkInvalidPage(request)
        }
        return try await request.renderPage(
            "accounts/done", title: "Account moved back",
            DonePage(
                heading: "Your account is back at this address",
                message: "Every session was signed out. Choose a new password from \"Can't sign in?\" before you sign in again."))
    }

    private func linkInvalidPage(_ request: Request) async throws -> Response {
        let error = AccountError.linkInvalid
        return try await request.renderPage(
            "accounts/link-invalid", title: "Link expired or used", LinkInvalidPage(detail: error.detail, purpose: "email-change"),
            status: error.status)
    }
}
