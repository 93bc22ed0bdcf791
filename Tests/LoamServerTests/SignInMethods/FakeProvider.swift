import Crypto
import CryptoExtras
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Vapor

/// An OpenID Connect provider the test controls, on 127.0.0.1: its discovery document, a JWKS with keys the
/// test made, and a token endpoint that answers with whatever ID token the test mints. The real provider
/// (oidc-provider-mock) issues only good tokens and does not check PKCE; this one lets tests attack.
final class FakeProvider: Sendable {
    static let rsaKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSAKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let clientID = "loam-test-client"

    struct TokenRequest: Sendable {
        var form: [String: String]
    }

    struct State: Sendable {
        var jwks: Data
        var jwksFetches = 0
        var discoveryIssuer: String?
        /// Builds the token endpoint's answer from the request: status and JSON body.
        var respond: @Sendable (TokenRequest) -> (HTTPStatus, String) = { _ in
            (.badRequest, #"{"error":"invalid_grant"}"#)
        }
        var tokenRequests: [TokenRequest] = []
    }

    let app: Application
    let issuer: String
    let state: NIOLockedValueBox<State>

    private init(app: Application, issuer: String, state: NIOLockedValueBox<State>) {
        self.app = app
        self.issuer = issuer
        self.state = state
    }

    static func start() async throws -> FakeProvider {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        let jwks = try JSONWebKeyExport.keySet([try JSONWebKeyExport.jwk(for: .rs256(rsaKey), keyID: "k1")])
        let state = NIOLockedValueBox(State(jwks: jwks))
        let issuerBox = NIOLockedValueBox("")
        app.get(".well-known", "openid-configuration") { _ -> Response in
            let issuer = issuerBox.withLockedValue { $0 }
            let named = state.withLockedValue { $0.discoveryIssuer } ?? issuer
            let body = """
                {"issuer":"\(named)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token","jwks_uri":"\(issuer)/jwks"}
                """
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: body))
        }
        app.get("jwks") { _ -> Response in
            let data = state.withLockedValue { state in
                state.jwksFetches += 1
                return state.jwks
            }
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
        }
        app.post("token") { request -> Response in
            let form = try request.content.decode([String: String].self)
            let respond = state.withLockedValue { state in
                state.tokenRequests.append(TokenRequest(form: form))
                return state.respond
            }
            let (status, body) = respond(TokenRequest(form: form))
            return Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: body))
        }
        try await app.server.start()
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError) }
        let issuer = "http://127.0.0.1:\(port)"
        issuerBox.withLockedValue { $0 = issuer }
        return FakeProvider(app: app, issuer: issuer, state: state)
    }

    func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Answers the token endpoint with an ID token made of `claims`, signed by `sign`.
    func answer(with token: @escaping @Sendable (TokenRequest) throws -> String) {
        state.withLockedValue {
            $0.respond = { request in
                guard let idToken = try? token(request) else { return (.internalServerError, "{}") }
                return (.ok, #"{"access_token":"at","token_type":"Bearer","id_token":"\#(idToken)"}"#)
            }
        }
    }

    /// Good claims for `nonce`, with `changes` applied (a nil value removes a claim).
    func claims(
        nonce: String, subject: String = "fake-1", email: String = "erin@example.com", _ changes: [String: Any?] = [:]
    ) -> Data {
        let now = Int(Date().timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": issuer, "sub": subject, "aud": Self.clientID, "iat": now - 5, "exp": now + 600, "nonce": nonce,
            "email": email, "email_verified": true, "name": "Erin Example",
        ]
        for (name, value) in changes { claims[name] = value }
        return try! JSONSerialization.data(withJSONObject: claims, options: .sortedKeys)
    }

    static func sign(_ claims: Data, key: _RSA.Signing.PrivateKey = rsaKey, keyID: String? = "k1") throws -> String {
        try JWSSigner.sign(claims: claims, key: .rs256(key), keyID: keyID)
    }
}

private func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

extension FakeProvider {
    /// A token with the given header, its signature computed over the signing input by `sign` (empty for none).
    static func handBuilt(header: [String: Any], claims: Data, signature: Data = Data()) -> String {
        let headerBytes = try! JSONSerialization.data(withJSONObject: header, options: .sortedKeys)
        return "\(base64URL(headerBytes)).\(base64URL(claims)).\(base64URL(signature))"
    }

    /// S256 of a PKCE verifier, as the provider checks it.
    static func challenge(of verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}
