import Fluent
import Foundation
import LoamKit
import NIOPosix
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// The whole provider sign-in over HTTP against a real OpenID Connect provider (oidc-provider-mock on
/// 127.0.0.1): discovery, authorization with PKCE, the code exchange and ID token verification with its JWKS.
@Suite("Provider sign-in against a real OpenID Connect provider", .enabled(if: OIDCTestEnvironment.hasProvider))
struct OIDCMockProviderTests {
    private func withProviderApp(_ body: (Application) async throws -> Void) async throws {
        try await withLoamApp(adjust: {
            $0.oidcProviders = [providerSettings(id: "mock", issuer: OIDCTestEnvironment.issuer!, name: "Mock ID")]
        }) {
            app in try await body(app)
        }
    }

    @Test("A new person signs up with the provider, then signs in again to the same account by its subject")
    func signUpThenSignIn() async throws {
        try await withProviderApp { app in
            let browser = PageBrowser(app)
            let signInPage = try await browser.get("/sign-in")
            #expect(signInPage.body.string.contains("Continue with Mock ID"))

            let authorize = try await browser.startProviderSignIn("mock", next: "/account")
            let query = queryItems(authorize)
            #expect(authorize.absoluteString.hasPrefix(OIDCTestEnvironment.issuer! + "/oauth2/authorize"))
            #expect(query["scope"] == "openid email profile")
            #expect(query["code_challenge_method"] == "S256")
            #expect(query["code_challenge"]?.count == 43)
            #expect(query["nonce"] != nil && query["state"] != nil)
            #expect(query["redirect_uri"] == app.oidcRedirectURI("mock"))
            #expect(browser.cookies["loam_oidc"] != nil)

            let callback = try await browser.authorizeAtMock(authorize, as: "alice-1")
            let done = try await browser.get(callback)
            #expect(done.status == .seeOther, "\(done.body.string)")
            #expect(done.headers.first(name: .location) == "/account")
            #expect(browser.cookies["loam_session"] != nil)
            #expect(try await browser.get("/account").body.string.contains("Alice Example"))

            let user = try #require(try await User.query(on: app.db).filter(\.$email == "alice@example.com").first())
            #expect(user.isVerified, "the provider vouched for the address")
            #expect(user.passwordHash == nil)
            #expect(try await ExternalIdentity.query(on: app.db).filter(\.$subject == "alice-1").count() == 1)

            // Again, from a new browser: the same account, found by subject; no second user.
            let second = PageBrowser(app)
            let again = try await second.get(
                try await second.authorizeAtMock(try await second.startProviderSignIn("mock"), as: "alice-1"))
            #expect(again.status == .seeOther)
            #expect(try await User.query(on: app.db).count() == 1)
            #expect(try await UserSession.query(on: app.db).count() == 2)
        }
    }

    @Test("Attack: a callback replayed, or brought to another browser, signs nobody in")
    func replayAndOtherBrowser() async throws {
        try await withProviderApp { app in
            let browser = PageBrowser(app)
            let callback = try await browser.authorizeAtMock(
                try await browser.startProviderSignIn("mock"), as: "alice-1")

            // Another browser (no loam_oidc cookie of this flow) presents the callback first: refused, and the
            // state is used up, so the real browser cannot be tricked into the attacker's session either.
            let attacker = PageBrowser(app)
            let stolen = try await attacker.get(callback)
            #expect(stolen.status == .gone)
            #expect(stolen.body.string.contains("Start again"))
            #expect(attacker.cookies["loam_session"] == nil)

            let late = try await browser.get(callback)
            #expect(late.status == .gone, "a state works once")
            #expect(try await UserSession.query(on: app.db).count() == 0)
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test("A verified provider address that matches an account links only after signing in with the password")
    func verifiedAddressLinksAfterPasswordSignIn() async throws {
        try await withProviderApp { app in
            _ = try await APIClient(app: app).signUp("carol@example.com", name: "Carol Password")
            _ = try await deliverMails(app)
            let browser = PageBrowser(app)
            let callback = try await browser.authorizeAtMock(
                try await browser.startProviderSignIn("mock"), as: "carol-3")
            let answer = try await browser.get(callback)
            #expect(answer.headers.first(name: .location) == "/sign-in?linking=mock")
            #expect(browser.cookies["loam_session"] == nil, "an address alone signs nobody in")
            #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
            #expect(try await browser.get("/sign-in?linking=mock").body.string.contains("Mock ID is linked to it"))

            let signedIn = try await browser.signIn("carol@example.com")
            #expect(signedIn.headers.first(name: .location) == "/account/sign-in-methods")
            let identity = try #require(try await ExternalIdentity.query(on: app.db).with(\.$user).first())
            #expect(identity.user.email == "carol@example.com" && identity.subject == "carol-3")
            let mails = try await deliverMails(app)
            #expect(
                mails.contains {
                    $0.contains("Subject: A sign-in method was added") && $0.contains("Mock ID can now be used")
                })

            // From now on the provider alone signs Carol in.
            let later = PageBrowser(app)
            _ = try await later.get(
                try await later.authorizeAtMock(try await later.startProviderSignIn("mock"), as: "carol-3"))
            #expect(later.cookies["loam_session"] != nil)
            #expect(try await User.query(on: app.db).count() == 1)
        }
    }

    @Test("Attack: the pending link of one account cannot be completed by signing in to another")
    func pendingLinkIsBoundToItsAccount() async throws {
        try await withProviderApp { app in
            let api = APIClient(app: app)
            try await api.signUp("carol@example.com", name: "Carol")
            try await api.signUp("mallory@example.com", name: "Mallory")
            let browser = PageBrowser(app)
            _ = try await browser.get(
                try await browser.authorizeAtMock(try await browser.startProviderSignIn("mock"), as: "carol-3"))
            #expect(browser.cookies["loam_link"] != nil)
            _ = try await browser.signIn("mallory@example.com")
            #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
        }
    }

    @Test("An unverified provider address never links to the account that has it, and creates nothing")
    func unverifiedAddressNeverLinks() async throws {
        try await withProviderApp { app in
            try await APIClient(app: app).signUp("bob@example.com", name: "Bob Password")
            let browser = PageBrowser(app)
            let answer = try await browser.get(
                try await browser.authorizeAtMock(try await browser.startProviderSignIn("mock"), as: "bob-2"))
            #expect(answer.status == .conflict)
            #expect(answer.body.string.contains("has not confirmed this address"))
            #expect(browser.cookies["loam_link"] == nil)
            #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
            #expect(try await User.query(on: app.db).count() == 1)
        }
    }

    @Test("An unverified provider address with no account signs up, unconfirmed, with a verification mail")
    func unverifiedAddressSignsUpUnconfirmed() async throws {
        try await withProviderApp { app in
            let browser = PageBrowser(app)
            _ = try await browser.get(
                try await browser.authorizeAtMock(try await browser.startProviderSignIn("mock"), as: "bob-2"))
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.email == "bob@example.com" && !user.isVerified)
            #expect(try await deliverMails(app).contains { $0.contains("Subject: Confirm your address") })
        }
    }

    @Test("Saying no at the provider signs nobody in and says so")
    func denied() async throws {
        try await withProviderApp { app in
            let browser = PageBrowser(app)
            let authorize = try await browser.startProviderSignIn("mock")
            let state = try #require(queryItems(authorize)["state"])
            let answer = try await browser.get("/auth/mock/callback?error=access_denied&state=\(state)")
            #expect(answer.status == .unauthorized)
            #expect(answer.body.string.contains("You cancelled signing in with Mock ID"))
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test("An unreachable provider is 'unavailable right now', not a credential error")
    func unreachableProvider() async throws {
        let closedPort = try await { () async throws -> Int in
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let port = channel.localAddress!.port!
            try await channel.close()
            return port
        }()
        let logs = LogCapture()
        try await withLoamApp(
            adjust: {
                $0.oidcProviders = [
                    providerSettings(id: "gone", issuer: "http://127.0.0.1:\(closedPort)", name: "Gone ID")
                ]
            },
            logs: logs
        ) { app in
            let browser = PageBrowser(app)
            let answer = try await browser.get("/auth/gone/start")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.body.string.contains("Gone ID sign-in is unavailable right now"))
            #expect(!answer.body.string.contains("do not match"))
            let problem = try await APIClient(app: app).send(
                .GET, "/auth/gone/start", headers: ["Accept": "application/problem+json"])
            #expect(problem.status == .serviceUnavailable)
            #expect(
                logs.captured.contains {
                    $0.contains("provider sign-in unavailable") && $0.contains("oidc.provider=gone")
                })
        }
    }
}
