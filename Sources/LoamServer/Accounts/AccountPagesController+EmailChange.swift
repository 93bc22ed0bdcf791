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

    /// One mail link's two pages: what the button does, and what the done page says.
    struct LinkFlow: Sendable {
        var title: String
        var explanation: String
        var button: String
        var doneTitle: String
        var doneMessage: String
        var act: @Sendable (Request, String) async throws -> Void
    }

    static let confirmFlow = LinkFlow(
        title: "Confirm your new address",
        explanation:
            "Press the button to move your Loam account to this address. Your old address will be told, and can undo it for 7 days.",
        button: "Use this address", doneTitle: "Your address is changed",
        doneMessage: "Loam now writes to this address; sign in with it from now on.",
        act: { request, token in
            _ = try await request.application.accounts.confirmEmailChange(token: token, context: request.clientContext)
        })

    static let undoFlow = LinkFlow(
        title: "Move your account back to this address",
        explanation:
            "If you did not change your address, press the button: the account returns to this address and every session is signed out. Then reset your password.",
        button: "Move it back and sign everyone out", doneTitle: "Your account is back at this address",
        doneMessage:
            "Every session was signed out. Choose a new password from \"Can't sign in?\" before you sign in again.",
        act: { request, token in
            _ = try await request.application.accounts.undoEmailChange(token: token, context: request.clientContext)
        })

    @Sendable
    func confirmEmailForm(request: Request) async throws -> Response { try await linkForm(request, Self.confirmFlow) }

    @Sendable
    func confirmEmail(request: Request) async throws -> Response { try await followLink(request, Self.confirmFlow) }

    @Sendable
    func undoEmailChangeForm(request: Request) async throws -> Response { try await linkForm(request, Self.undoFlow) }

    @Sendable
    func undoEmailChange(request: Request) async throws -> Response { try await followLink(request, Self.undoFlow) }

    private func linkForm(_ request: Request, _ flow: LinkFlow) async throws -> Response {
        try await request.renderPage(
            "accounts/confirm-link", title: flow.title,
            ConfirmLinkPage(
                action: request.url.path, heading: flow.title, explanation: flow.explanation, button: flow.button))
    }

    private func followLink(_ request: Request, _ flow: LinkFlow) async throws -> Response {
        do {
            try await flow.act(request, request.parameters.get("token") ?? "")
        } catch AccountError.linkInvalid {
            return try await linkInvalidPage(request)
        }
        return try await request.renderPage(
            "accounts/done", title: flow.doneTitle, DonePage(heading: flow.doneTitle, message: flow.doneMessage))
    }

    private func linkInvalidPage(_ request: Request) async throws -> Response {
        let error = AccountError.linkInvalid
        return try await request.renderPage(
            "accounts/link-invalid", title: "Link expired or used",
            LinkInvalidPage(detail: error.detail, purpose: "email-change"),
            status: error.status)
    }
}
