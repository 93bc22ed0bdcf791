import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// The sign-in methods API and page: add a password to a provider-only account, remove any method but the
/// last, each change behind step-up, mailed and audited; and recovery for an account without a password.
@Suite("Sign-in methods")
struct SignInMethodsTests {
    /// An account created by a provider sign-in: no password, one linked identity, and a fresh session.
    private func providerOnlyAccount(_ app: Application, email: String = "pat@example.com") async throws -> (
        User, String
    ) {
        let user = User(email: email, name: "Pat Provider", passwordHash: nil)
        user.emailVerifiedAt = app.clock.now()
        try await user.create(on: app.db)
        try await ExternalIdentity(
            userID: try user.requireID(), provider: "work", subject: "pat-1", email: email, now: app.clock.now()
        )
        .create(on: app.db)
        let session = try await app.sessionStore.create(
            for: user, context: ClientContext(address: nil, device: nil), on: app.db)
        return (user, session.token)
    }

    private func withMethodsApp(clock: LoamClock? = nil, _ body: (Application) async throws -> Void) async throws {
        try await withLoamApp(
            adjust: {
                $0.oidcProviders = [providerSettings(id: "work", issuer: "https://login.example.com", name: "Work ID")]
            },
            clock: clock, body)
    }

    private func methodIDs(_ api: APIClient, _ token: String) async throws -> [String] {
        let response = try await api.send(.GET, "/api/v1/account/sign-in-methods", token: token)
        #expect(response.status == .ok)
        let methods = try api.object(response)["methods"] as? [[String: Any]] ?? []
        return methods.compactMap { $0["id"] as? String }
    }

    @Test("A provider-only account adds a password, then removes the provider; the last method cannot go")
    func addAndRemove() async throws {
        try await withMethodsApp { app in
            let api = APIClient(app: app)
            let (user, token) = try await providerOnlyAccount(app)
            #expect(try await methodIDs(api, token) == ["work"])
            let account = try api.object(try await api.send(.GET, "/api/v1/account", token: token))
            #expect((account["sign_in_methods"] as? [[String: Any]])?.first?["name"] as? String == "Work ID")

            let last = try await api.send(.DELETE, "/api/v1/account/sign-in-methods/work", token: token)
            #expect(last.status == .conflict)
            #expect(last.body.string.contains("/problems/last-sign-in-method"))
            #expect(try await methodIDs(api, token) == ["work"], "a refused removal changes nothing")

            let weak = try await api.send(
                .POST, "/api/v1/account/sign-in-methods/password", body: ["new_password": "password"], token: token)
            #expect(weak.status == .unprocessableEntity)
            let added = try await api.send(
                .POST, "/api/v1/account/sign-in-methods/password", body: ["new_password": APIClient.password],
                token: token)
            #expect(added.status == .created, "\(added.body.string)")
            #expect(try await methodIDs(api, token) == ["password", "work"])
            #expect(try await api.signIn(user.email).isEmpty == false, "the new password signs in")

            let removed = try await api.send(.DELETE, "/api/v1/account/sign-in-methods/work", token: token)
            #expect(removed.status == .ok)
            #expect(try await methodIDs(api, token) == ["password"])
            #expect(
                try await api.send(.DELETE, "/api/v1/account/sign-in-methods/password", token: token).status
                    == .conflict)

            let mails = try await deliverMails(app)
            #expect(
                mails.filter {
                    $0.contains("Subject: A sign-in method was added") && $0.contains("A password can now be used")
                }.count == 1)
            #expect(
                mails.filter {
                    $0.contains("Subject: A sign-in method was removed") && $0.contains("Work ID can no longer")
                }.count == 1)
            let kinds = try await AuditEvent.query(on: app.db).filter(\.$user.$id == (try user.requireID())).all().map(
                \.kind)
            #expect(kinds.contains(.signInMethodAdded) && kinds.contains(.signInMethodRemoved))
        }
    }

    @Test("Attack: a stale session cannot change sign-in methods without step-up")
    func staleSessionNeedsStepUp() async throws {
        let (clock, controller) = LoamClock.manual()
        try await withMethodsApp(clock: clock) { app in
            let api = APIClient(app: app)
            let (_, token) = try await providerOnlyAccount(app)
            controller.advance(by: StepUp.freshness + 60)
            let refused = try await api.send(
                .POST, "/api/v1/account/sign-in-methods/password", body: ["new_password": APIClient.password],
                token: token)
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("/problems/reauthentication-required"))
            #expect(try await methodIDs(api, token) == ["work"])

            // The page offers to confirm with the provider, since there is no password to type.
            let browser = PageBrowser(app)
            browser.cookies["loam_session"] = token
            let page = try await browser.get("/account/sign-in-methods")
            #expect(page.body.string.contains("Confirm with Work ID"))
        }
    }

    @Test("A password account removes its password only after another method exists")
    func passwordAccount() async throws {
        try await withMethodsApp { app in
            let api = APIClient(app: app)
            try await api.signUp("dana@example.com")
            let token = try await api.signIn("dana@example.com")
            #expect(try await methodIDs(api, token) == ["password"])
            #expect(
                try await api.send(.DELETE, "/api/v1/account/sign-in-methods/password", token: token).status
                    == .conflict)
            let again = try await api.send(
                .POST, "/api/v1/account/sign-in-methods/password", body: ["new_password": "another-fine-pass"],
                token: token)
            #expect(again.status == .conflict, "a second password is a password change, elsewhere")
            let list = try api.object(try await api.send(.GET, "/api/v1/account/sign-in-methods", token: token))
            #expect((list["available_providers"] as? [[String: Any]])?.first?["id"] as? String == "work")
        }
    }

    @Test("Recovery works for an account that signs in only with a provider: the reset link adds a password")
    func recoveryForProviderOnlyAccount() async throws {
        try await withMethodsApp { app in
            let api = APIClient(app: app)
            let (user, _) = try await providerOnlyAccount(app)
            #expect(
                try await api.send(.POST, "/api/v1/account/recovery", body: ["email": user.email]).status == .accepted)
            let mail = try #require(try await deliverMails(app).first { $0.contains("reset-password") })
            let reset = try #require(link(in: mail, prefix: "/reset-password/"))
            let browser = PageBrowser(app)
            _ = try await browser.get("/reset-password/\(reset.token)")
            let done = try await browser.post("/reset-password/\(reset.token)", ["new_password": APIClient.password])
            #expect(done.status == .ok || done.status == .seeOther, "\(done.status)")
            let token = try await api.signIn(user.email)
            #expect(try await methodIDs(api, token) == ["password", "work"])
        }
    }
}
