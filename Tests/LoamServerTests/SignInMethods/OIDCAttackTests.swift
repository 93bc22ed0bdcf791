import Crypto
import CryptoExtras
import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Tokens the test mints with its own keys, served from a JWKS it controls: each bad one is refused
/// with nothing created and nobody signed in.
@Suite("Provider sign-in attacks")
struct OIDCAttackTests {
    /// The app's clock starts at the real time (the tokens' times are real) and moves only when told.
    private func withFakeProvider(_ body: (Application, FakeProvider, ManualClock) async throws -> Void) async throws {
        let provider = try await FakeProvider.start()
        let (clock, controller) = LoamClock.manual(start: Date())
        do {
            try await withLoamApp(
                adjust: {
                    $0.oidcProviders = [providerSettings(id: "fake", issuer: provider.issuer, name: "Fake ID")]
                }, clock: clock
            ) { app in try await body(app, provider, controller) }
        } catch {
            await provider.shutdown()
            throw error
        }
        await provider.shutdown()
    }

    /// Starts a flow and returns the browser, its state, nonce and code challenge.
    private func start(_ app: Application) async throws -> (
        PageBrowser, state: String, nonce: String, challenge: String
    ) {
        let browser = PageBrowser(app)
        let query = queryItems(try await browser.startProviderSignIn("fake"))
        let state = try #require(query["state"])
        let nonce = try #require(query["nonce"])
        let challenge = try #require(query["code_challenge"])
        return (browser, state, nonce, challenge)
    }

    private func expectNothingCreated(_ app: Application, _ browser: PageBrowser) async throws {
        #expect(try await User.query(on: app.db).count() == 0)
        #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
        #expect(try await UserSession.query(on: app.db).count() == 0)
        #expect(browser.cookies["loam_session"] == nil)
    }

    @Test("A good token signs up, and the code exchange carried the PKCE verifier matching the challenge")
    func goodTokenAndPKCE() async throws {
        try await withFakeProvider { app, provider, clock in
            let (browser, state, nonce, challenge) = try await start(app)
            provider.answer { request in
                // The provider's side of PKCE: the verifier must hash to the challenge of the authorization request.
                guard let verifier = request.form["code_verifier"], FakeProvider.challenge(of: verifier) == challenge,
                    request.form["client_secret"] == "loam-test-secret", request.form["code"] == "good-code",
                    request.form["redirect_uri"] == app.oidcRedirectURI("fake")
                else { throw Abort(.badRequest) }
                return try FakeProvider.sign(provider.claims(nonce: nonce))
            }
            let done = try await browser.get("/auth/fake/callback?code=good-code&state=\(state)")
            #expect(done.status == .seeOther, "\(done.body.string)")
            #expect(browser.cookies["loam_session"] != nil)
            #expect(
                try await User.query(on: app.db).filter(\.$email == "erin@example.com").first()?.name == "Erin Example")
        }
    }

    @Test(
        "Attack: a sign-up someone else started cannot keep the owner out: a provider that verifies the address proves it, and what was there before goes"
    )
    func providerProvesPendingAccount() async throws {
        try await withFakeProvider { app, provider, clock in
            // The attacker started an account for the owner's address and planted a provider identity on it.
            let client = APIClient(app: app)
            #expect(
                try await client.send(
                    .POST, "/api/v1/accounts", body: ["email": "erin@example.com", "name": "Mallory"]
                ).status == .accepted)
            let pending = try #require(try await User.query(on: app.db).first())
            try await ExternalIdentity(
                userID: try pending.requireID(), provider: "google", subject: "attacker", email: "erin@example.com",
                now: clock.current
            ).create(on: app.db)

            // A provider that does not vouch for the address cannot claim it.
            let (refusedBrowser, refusedState, refusedNonce, _) = try await start(app)
            provider.answer { _ in
                try FakeProvider.sign(provider.claims(nonce: refusedNonce, ["email_verified": false]))
            }
            let refused = try await refusedBrowser.get("/auth/fake/callback?code=c&state=\(refusedState)")
            #expect(refusedBrowser.cookies["loam_session"] == nil, "\(refused.status)")

            let (browser, state, nonce, _) = try await start(app)
            provider.answer { _ in try FakeProvider.sign(provider.claims(nonce: nonce)) }
            let done = try await browser.get("/auth/fake/callback?code=good-code&state=\(state)")
            #expect(done.status == .seeOther, "\(done.body.string)")
            #expect(browser.cookies["loam_session"] != nil)
            let owner = try #require(try await User.query(on: app.db).first())
            #expect(owner.isVerified && owner.passwordHash == nil)
            let identities = try await ExternalIdentity.query(on: app.db).all()
            #expect(identities.map(\.provider) == ["fake"] && identities.first?.subject == "fake-1")
        }
    }

    @Test(
        "Attack: a bad ID token is refused and creates nothing",
        arguments: [
            "wrong nonce", "another audience", "expired", "issued in the future", "another issuer", "alg none",
            "tampered signature", "signed by another key under the same kid", "HS256 with the public key",
        ])
    func badTokens(attack: String) async throws {
        try await withFakeProvider { app, provider, clock in
            let (browser, state, nonce, _) = try await start(app)
            let now = Int(Date().timeIntervalSince1970)
            provider.answer { _ in
                switch attack {
                case "wrong nonce": return try FakeProvider.sign(provider.claims(nonce: "not-the-nonce"))
                case "another audience":
                    return try FakeProvider.sign(provider.claims(nonce: nonce, ["aud": "someone-else"]))
                case "expired":
                    return try FakeProvider.sign(provider.claims(nonce: nonce, ["exp": now - 300, "iat": now - 900]))
                case "issued in the future":
                    return try FakeProvider.sign(provider.claims(nonce: nonce, ["iat": now + 3600]))
                case "another issuer":
                    return try FakeProvider.sign(provider.claims(nonce: nonce, ["iss": "https://evil.example"]))
                case "alg none":
                    return FakeProvider.handBuilt(
                        header: ["alg": "none", "kid": "k1"], claims: provider.claims(nonce: nonce))
                case "tampered signature":
                    let good = try FakeProvider.sign(provider.claims(nonce: nonce))
                    let forged = provider.claims(nonce: nonce, subject: "someone-else")
                    let parts = good.split(separator: ".")
                    return FakeProvider.handBuilt(header: ["alg": "RS256", "kid": "k1"], claims: forged).split(
                        separator: "."
                    )
                    .prefix(2).joined(separator: ".") + "." + parts[2]
                case "signed by another key under the same kid":
                    return try FakeProvider.sign(provider.claims(nonce: nonce), key: FakeProvider.otherRSAKey)
                default:  // HS256, keyed with the provider's public key: the classic confusion attack.
                    let publicKey = Data(FakeProvider.rsaKey.publicKey.derRepresentation)
                    let claims = provider.claims(nonce: nonce)
                    let unsigned = FakeProvider.handBuilt(header: ["alg": "HS256", "kid": "k1"], claims: claims)
                    let input = unsigned.split(separator: ".").prefix(2).joined(separator: ".")
                    let mac = HMAC<SHA256>.authenticationCode(
                        for: Data(input.utf8), using: SymmetricKey(data: publicKey))
                    return FakeProvider.handBuilt(
                        header: ["alg": "HS256", "kid": "k1"], claims: claims, signature: Data(mac))
                }
            }
            let answer = try await browser.get("/auth/fake/callback?code=c&state=\(state)")
            #expect(answer.status == .unauthorized, "\(attack): \(answer.status)")
            #expect(answer.body.string.contains("Fake ID did not confirm who you are"))
            try await expectNothingCreated(app, browser)
        }
    }

    @Test("Attack: an unknown key id makes one fresh JWKS fetch, never a fall-back to another key")
    func unknownKeyRefetchesOnce() async throws {
        try await withFakeProvider { app, provider, clock in
            let (browser, state, nonce, _) = try await start(app)
            provider.answer { _ in
                try FakeProvider.sign(provider.claims(nonce: nonce), key: FakeProvider.otherRSAKey, keyID: "k-unknown")
            }
            let answer = try await browser.get("/auth/fake/callback?code=c&state=\(state)")
            #expect(answer.status == .unauthorized)
            try await expectNothingCreated(app, browser)
            // Discovery-time fetch plus exactly one refetch for the unknown kid (the first fetch is cached).
            #expect(provider.state.withLockedValue { $0.jwksFetches } <= 2)
        }
    }

    @Test("A rotated key is found by refetching the JWKS once")
    func rotatedKeyIsFetched() async throws {
        try await withFakeProvider { app, provider, clock in
            // Warm the cache with the old set.
            let first = try await start(app)
            let firstNonce = first.nonce
            provider.answer { _ in try FakeProvider.sign(provider.claims(nonce: firstNonce)) }
            #expect(try await first.0.get("/auth/fake/callback?code=c&state=\(first.state)").status == .seeOther)
            let fetchesBefore = provider.state.withLockedValue { $0.jwksFetches }

            // The provider rotates: new key k2 only. Loam's cached set does not have it.
            clock.advance(by: 11)
            provider.state.withLockedValue {
                $0.jwks = try! JSONWebKeyExport.keySet([
                    try! JSONWebKeyExport.jwk(for: .rs256(FakeProvider.otherRSAKey), keyID: "k2")
                ])
            }
            let second = try await start(app)
            let secondNonce = second.nonce
            provider.answer { _ in
                try FakeProvider.sign(provider.claims(nonce: secondNonce), key: FakeProvider.otherRSAKey, keyID: "k2")
            }
            let answer = try await second.0.get("/auth/fake/callback?code=c&state=\(second.state)")
            #expect(answer.status == .seeOther, "\(answer.body.string)")
            #expect(provider.state.withLockedValue { $0.jwksFetches } == fetchesBefore + 1)
        }
    }

    @Test("Attack: a state is used once; an expired one is refused")
    func stateReplayAndExpiry() async throws {
        try await withFakeProvider { app, provider, clock in
            let (browser, state, nonce, _) = try await start(app)
            provider.answer { _ in try FakeProvider.sign(provider.claims(nonce: nonce)) }
            #expect(try await browser.get("/auth/fake/callback?code=c&state=\(state)").status == .seeOther)
            #expect(try await browser.get("/auth/fake/callback?code=c&state=\(state)").status == .gone)
            #expect(try await UserSession.query(on: app.db).count() == 1)

            let late = try await start(app)
            clock.advance(by: PreAuthentication.lifetime + 1)
            let lateNonce = late.nonce
            provider.answer { _ in try FakeProvider.sign(provider.claims(nonce: lateNonce)) }
            #expect(try await late.0.get("/auth/fake/callback?code=c&state=\(late.state)").status == .gone)
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("A discovery document naming another issuer makes the provider unavailable, not a credential error")
    func discoveryIssuerMismatch() async throws {
        try await withFakeProvider { app, provider, clock in
            provider.state.withLockedValue { $0.discoveryIssuer = "https://evil.example" }
            let answer = try await PageBrowser(app).get("/auth/fake/start")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.body.string.contains("Fake ID sign-in is unavailable right now"))
        }
    }

    @Test("A token endpoint that refuses the code is a refused sign-in; one that fails is 'unavailable'")
    func tokenEndpointFailures() async throws {
        try await withFakeProvider { app, provider, clock in
            let refused = try await start(app)
            provider.state.withLockedValue { $0.respond = { _ in (.badRequest, #"{"error":"invalid_grant"}"#) } }
            #expect(
                try await refused.0.get("/auth/fake/callback?code=c&state=\(refused.state)").status == .unauthorized)

            let broken = try await start(app)
            provider.state.withLockedValue { $0.respond = { _ in (.badGateway, "{}") } }
            let answer = try await broken.0.get("/auth/fake/callback?code=c&state=\(broken.state)")
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.body.string.contains("Fake ID sign-in is unavailable right now"))
            try await expectNothingCreated(app, broken.0)
        }
    }
}
