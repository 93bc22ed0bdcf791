import Crypto
import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Sign in with Apple: `response_mode=form_post` (a cross-site POST, exempt from CSRF, its state kept
/// server-side), the ES256 client secret, the name sent only on first authorization, relay addresses.
@Suite("Sign in with Apple")
struct AppleSignInTests {
    static let teamID = "TEAM123456"
    static let keyID = "KEY1ABCDEF"
    static let clientID = "com.example.loam"
    static let appleKey = P256.Signing.PrivateKey()

    /// Loam configured with `key`; the provider accepts only secrets signed by `appleKey`.
    private func withApple(
        key: P256.Signing.PrivateKey = appleKey, _ body: (Application, FakeProvider) async throws -> Void
    ) async throws {
        let provider = try await FakeProvider.start()
        do {
            try await withLoamApp(adjust: { configuration in
                configuration.baseURL = URL(string: "https://loam.test")!
                configuration.oidcProviders = [
                    OIDCProviderSettings(
                        id: "apple", name: "Apple", issuer: URL(string: provider.issuer)!, clientID: Self.clientID,
                        clientAuthentication: .appleKey(
                            teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: key.pemRepresentation)),
                    providerSettings(id: "fake", issuer: provider.issuer, name: "Fake ID"),
                ]
            }) { app in try await body(app, provider) }
        } catch {
            await provider.shutdown()
            throw error
        }
        await provider.shutdown()
    }

    /// What Apple's token endpoint checks: an ES256 JWT from the team, for the client, to Apple, signed by the key.
    static func isValidClientSecret(_ secret: String?, now: Date) -> Bool {
        guard let parts = secret?.split(separator: ".", omittingEmptySubsequences: false), parts.count == 3,
            let header = decode(parts[0]), let claims = decode(parts[1]), let signature = bytes(parts[2]),
            let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        guard appleKey.publicKey.isValidSignature(ecdsa, for: input) else { return false }
        let iat = (claims["iat"] as? NSNumber)?.doubleValue ?? 0
        let exp = (claims["exp"] as? NSNumber)?.doubleValue ?? 0
        return header["alg"] as? String == "ES256" && header["kid"] as? String == keyID
            && claims["iss"] as? String == teamID && claims["sub"] as? String == clientID
            && claims["aud"] as? String == "https://appleid.apple.com" && exp > now.timeIntervalSince1970 && iat <= exp
    }

    private static func bytes(_ part: Substring) -> Data? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }

    private static func decode(_ part: Substring) -> [String: Any]? {
        bytes(part).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    private func formPost(_ app: Application, _ path: String, _ fields: [String: String]) async throws
        -> TestingHTTPResponse
    {
        let body = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        // Apple's POST is cross-site: no cookies of Loam's, no form token.
        return try await app.testing().sendRequest(
            .POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    @Test("form_post callback without a CSRF token signs up with the name Apple sends once and the relay address")
    func formPostSignUp() async throws {
        try await withApple { app, provider in
            let browser = PageBrowser(app)
            let start = try await browser.get("/auth/apple/start")
            let location = try #require(start.headers.first(name: .location))
            let authorize = try #require(URL(string: location))
            let query = queryItems(authorize)
            #expect(query["response_mode"] == "form_post")
            #expect(query["redirect_uri"] == "https://loam.test/auth/apple/callback")
            #expect(browser.setCookie(start, named: "loam_oidc") == nil, "a cross-site POST would not bring it back")
            let state = try #require(query["state"])
            let nonce = try #require(query["nonce"])

            provider.answer { request in
                guard Self.isValidClientSecret(request.form["client_secret"], now: Date()) else {
                    throw Abort(.unauthorized)
                }
                // Apple's claims: booleans as strings, a relay address, no name.
                return try FakeProvider.sign(
                    provider.claims(
                        nonce: nonce, subject: "001234.abcdef", email: "x7q2ab@privaterelay.appleid.com",
                        ["aud": Self.clientID, "email_verified": "true", "is_private_email": "true", "name": nil]))
            }
            let answer = try await formPost(
                app, "/auth/apple/callback",
                [
                    "code": "apple-code", "state": state,
                    "user":
                        #"{"name":{"firstName":"Ada","lastName":"Apple"},"email":"x7q2ab@privaterelay.appleid.com"}"#,
                ])
            #expect(answer.status == .seeOther, "\(answer.body.string)")
            #expect(browser.setCookie(answer, named: "__Host-loam_session") != nil)
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.name == "Ada Apple")
            #expect(user.email == "x7q2ab@privaterelay.appleid.com" && user.isVerified)

            // The same state again (a replayed POST): refused.
            let replay = try await formPost(app, "/auth/apple/callback", ["code": "apple-code", "state": state])
            #expect(replay.status == .gone)
        }
    }

    @Test("A client secret signed with the wrong key is refused by the provider: nothing is created")
    func badClientSecretIsRefused() async throws {
        try await withApple(key: P256.Signing.PrivateKey()) { app, provider in
            let start = try await PageBrowser(app).get("/auth/apple/start")
            let state = try #require(queryItems(URL(string: start.headers.first(name: .location)!)!)["state"])
            let nonce = try #require(queryItems(URL(string: start.headers.first(name: .location)!)!)["nonce"])
            provider.state.withLockedValue {
                $0.respond = { request in
                    guard Self.isValidClientSecret(request.form["client_secret"], now: Date()) else {
                        return (.unauthorized, #"{"error":"invalid_client"}"#)
                    }
                    let token = try! FakeProvider.sign(provider.claims(nonce: nonce, ["aud": Self.clientID]))
                    return (.ok, #"{"id_token":"\#(token)"}"#)
                }
            }
            let answer = try await formPost(app, "/auth/apple/callback", ["code": "c", "state": state])
            #expect(answer.status == .unauthorized)
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test("Only Apple's callback takes a POST without a form token; others keep CSRF and their method")
    func csrfExemptionIsNarrow() async throws {
        try await withApple { app, _ in
            #expect(
                try await app.testing().sendRequest(.GET, "/auth/apple/callback?code=c&state=s").status
                    == .methodNotAllowed)
            let other = try await formPost(app, "/auth/fake/callback", ["code": "c", "state": "s"])
            #expect(other.status == .forbidden, "a POST to a redirect provider's callback is a forged form")
        }
    }
}
