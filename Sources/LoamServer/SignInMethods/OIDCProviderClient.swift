import Foundation
import LoamKit
import Logging
import NIOCore
import Vapor

/// Why a provider sign-in did not complete, told apart so people see the right message:
/// the provider being away is not a wrong password.
enum OIDCFailure: Error, Equatable, CustomStringConvertible {
    /// The provider cannot be reached or answered nonsense (discovery, keys, token endpoint 5xx):
    /// "NAME sign-in is unavailable right now".
    case unavailable(reason: String)
    /// The provider or its answer refused this sign-in (a refused code, an ID token that fails a check).
    case refused(reason: String)

    var description: String {
        switch self {
        case .unavailable(let reason): "provider unavailable: \(reason)"
        case .refused(let reason): "provider sign-in refused: \(reason)"
        }
    }
}

/// The provider's discovery document (OpenID Connect Discovery 1.0 §3), the fields Loam uses.
struct OIDCProviderMetadata: Codable, Sendable, Equatable {
    var issuer: String
    var authorizationEndpoint: URL
    var tokenEndpoint: URL
    var jwksURI: URL

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
    }
}

/// Talks to one provider: discovery, keys, the code exchange and ID token verification.
/// Discovery and keys are cached for an hour; an ID token naming a key not in the cached set makes
/// one fresh fetch of the set (providers rotate keys) — never a fall-back to some other key.
actor OIDCProviderClient {
    let settings: OIDCProviderSettings
    private let client: any Client
    private let logger: Logger
    private let cacheLifetime: TimeInterval = 3600
    /// A token with a random `kid` must not make Loam hammer the provider: at most one refetch this often.
    private let refetchInterval: TimeInterval = 10
    static let requestTimeout: TimeAmount = .seconds(10)

    private var metadata: (value: OIDCProviderMetadata, fetchedAt: Date)?
    private var keys: (value: JSONWebKeySet, fetchedAt: Date)?

    init(settings: OIDCProviderSettings, client: any Client, logger: Logger) {
        self.settings = settings
        self.client = client
        var logger = logger
        logger[metadataKey: "oidc.provider"] = .string(settings.id)
        self.logger = logger
    }

    /// Where to send the browser: authorization code flow with PKCE (S256), `openid email profile` only.
    func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String, now: Date)
        async throws
        -> URL
    {
        let metadata = try await discover(now: now)
        guard var components = URLComponents(url: metadata.authorizationEndpoint, resolvingAgainstBaseURL: false) else {
            throw unavailable("authorization endpoint is not a URL")
        }
        var query = components.queryItems ?? []
        query += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: codeChallenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        if settings.usesFormPost { query.append(URLQueryItem(name: "response_mode", value: "form_post")) }
        components.queryItems = query
        guard let url = components.url else { throw unavailable("authorization URL could not be built") }
        return url
    }

    /// Exchanges the code for tokens and returns the verified ID token's claims.
    func completeSignIn(code: String, codeVerifier: String, nonce: String, redirectURI: String, now: Date) async throws
        -> IDTokenClaims
    {
        let metadata = try await discover(now: now)
        var form = [
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirectURI,
            "client_id": settings.clientID,
            "code_verifier": codeVerifier,
        ]
        switch settings.clientAuthentication {
        case .secret(let secret):
            form["client_secret"] = secret
        case .appleKey(let teamID, let keyID, let pem):
            do {
                form["client_secret"] = try AppleClientSecret(teamID: teamID, keyID: keyID, privateKeyPEM: pem)
                    .make(clientID: settings.clientID, now: now)
            } catch {
                throw unavailable("the Sign in with Apple key cannot sign")
            }
        }
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: metadata.tokenEndpoint.absoluteString)) { request in
                request.timeout = Self.requestTimeout
                request.headers.replaceOrAdd(name: .accept, value: "application/json")
                request.headers.replaceOrAdd(name: .connection, value: "close")
                try request.content.encode(form, as: .urlEncodedForm)
            }
        } catch {
            throw unavailable("token endpoint unreachable")
        }
        if response.status.code >= 500 { throw unavailable("token endpoint answered \(response.status.code)") }
        guard response.status == .ok else {
            // RFC 6749 §5.2: 400 with an error code, such as invalid_grant for a used or forged code.
            let code =
                response.body.flatMap {
                    try? JSONDecoder().decode(TokenErrorBody.self, from: Data($0.readableBytesView))
                }?.error
                ?? "status \(response.status.code)"
            throw refused("token endpoint refused the code: \(code.prefix(40))")
        }
        // A plain decoder: the app's JSON settings (snake_case keys for Loam's own API) must not touch a provider's.
        guard let bytes = response.body,
            let body = try? JSONDecoder().decode(TokenResponse.self, from: Data(bytes.readableBytesView)),
            let idToken = body.idToken
        else {
            throw unavailable("token response without an id_token")
        }
        return try await verify(idToken: idToken, nonce: nonce, now: now)
    }

    /// Verifies with the cached keys, refetching them once when the token names a key not in them.
    func verify(idToken: String, nonce: String, now: Date) async throws -> IDTokenClaims {
        let metadata = try await discover(now: now)
        let verifier = IDTokenVerifier(issuer: metadata.issuer, clientID: settings.clientID)
        let cached = try await keySet(now: now, forceRefresh: false)
        do {
            return try verifier.verify(idToken, keys: cached, nonce: nonce, now: now)
        } catch .unknownKey {
            guard let fetchedAt = keys?.fetchedAt,
                now.timeIntervalSince(fetchedAt) >= refetchInterval || fetchedAt > now
            else {
                throw refused("ID token names an unknown key")
            }
            let fresh = try await keySet(now: now, forceRefresh: true)
            do {
                return try verifier.verify(idToken, keys: fresh, nonce: nonce, now: now)
            } catch {
                throw refused("ID token: \(error)")
            }
        } catch {
            throw refused("ID token: \(error)")
        }
    }

    // MARK: - Discovery and keys

    func discover(now: Date) async throws -> OIDCProviderMetadata {
        if let metadata, now.timeIntervalSince(metadata.fetchedAt) < cacheLifetime { return metadata.value }
        let url =
            settings.issuer.absoluteString.hasSuffix("/")
            ? settings.issuer.absoluteString + ".well-known/openid-configuration"
            : settings.issuer.absoluteString + "/.well-known/openid-configuration"
        let document: OIDCProviderMetadata
        do {
            document = try await fetchJSON(url, as: OIDCProviderMetadata.self)
        } catch let failure as OIDCFailure {
            throw failure
        } catch {
            throw unavailable("discovery document is not valid")
        }
        // Discovery §4.3: the document must name exactly the issuer we asked, or a look-alike could stand in.
        guard
            document.issuer == settings.issuer.absoluteString
                || document.issuer == settings.issuer.absoluteString.trimmingSuffix("/")
        else { throw unavailable("discovery names another issuer") }
        for endpoint in [document.authorizationEndpoint, document.tokenEndpoint, document.jwksURI]
        where !OIDCProviderSettings.isAcceptable(endpoint) {
            throw unavailable("discovery names an endpoint that is not https")
        }
        metadata = (document, now)
        return document
    }

    private func keySet(now: Date, forceRefresh: Bool) async throws -> JSONWebKeySet {
        if !forceRefresh, let keys, now.timeIntervalSince(keys.fetchedAt) < cacheLifetime { return keys.value }
        let metadata = try await discover(now: now)
        let data = try await fetch(metadata.jwksURI.absoluteString)
        let set: JSONWebKeySet
        do {
            set = try JSONWebKeySet(json: data)
        } catch {
            throw unavailable("key set is not valid")
        }
        guard !set.isEmpty else { throw unavailable("key set holds no usable key") }
        keys = (set, now)
        return set
    }

    private func fetchJSON<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
        let data = try await fetch(url)
        return try JSONDecoder().decode(T.self, from: data)
    }

    private func fetch(_ url: String) async throws -> Data {
        let response: ClientResponse
        do {
            response = try await client.get(URI(string: url)) { request in
                request.timeout = Self.requestTimeout
                request.headers.replaceOrAdd(name: .accept, value: "application/json")
                // A fresh connection per request: a sign-in makes three calls minutes apart, and a kept-alive one
                // that the provider (or a proxy before it) closed meanwhile failed a sign-in as "unavailable".
                request.headers.replaceOrAdd(name: .connection, value: "close")
            }
        } catch {
            throw unavailable("unreachable")
        }
        guard response.status == .ok, let body = response.body else {
            throw unavailable("answered \(response.status.code)")
        }
        return Data(body.readableBytesView)
    }

    private func unavailable(_ reason: String) -> OIDCFailure {
        logger.warning("provider sign-in unavailable", metadata: ["oidc.reason": .string(reason)])
        return .unavailable(reason: reason)
    }

    private func refused(_ reason: String) -> OIDCFailure {
        logger.notice("provider sign-in refused", metadata: ["oidc.reason": .string(reason)])
        return .refused(reason: reason)
    }

    private struct TokenResponse: Decodable {
        var idToken: String?
        enum CodingKeys: String, CodingKey { case idToken = "id_token" }
    }

    private struct TokenErrorBody: Decodable {
        var error: String
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
