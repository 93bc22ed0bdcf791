import Foundation

/// One OpenID Connect provider as the operator configured it: `LOAM_OIDC_<ID>_*`.
public struct OIDCProviderSettings: Sendable, Equatable {
    /// How Loam proves itself to the provider's token endpoint.
    public enum ClientAuthentication: Sendable, Equatable {
        /// `LOAM_OIDC_<ID>_CLIENT_SECRET`, sent in the token request's form body.
        case secret(String)
        /// Sign in with Apple: a short-lived ES256 JWT signed with the key from Apple's developer account.
        case appleKey(teamID: String, keyID: String, privateKeyPEM: String)
    }

    /// Lower case; the URL segment of `/auth/<id>/start` and `/auth/<id>/callback`.
    public var id: String
    /// The button label: "Continue with NAME".
    public var name: String
    public var issuer: URL
    public var clientID: String
    public var clientAuthentication: ClientAuthentication

    /// Apple answers with a cross-site POST (`response_mode=form_post`) instead of a redirect.
    public var usesFormPost: Bool {
        if case .appleKey = clientAuthentication { true } else { false }
    }

    /// Well-known issuers, so an operator only sets a client id and secret for them.
    static let knownIssuers: [String: String] = [
        "google": "https://accounts.google.com",
        "apple": "https://appleid.apple.com",
    ]
    static let knownNames: [String: String] = ["google": "Google", "apple": "Apple"]

    /// Every provider configured in `environment`, ordered by id. A group is recognised by any of its
    /// variables; a group with something missing or malformed is a configuration error naming the variable.
    static func parse(environment: [String: String], baseURL: URL) throws -> [OIDCProviderSettings] {
        let prefix = "LOAM_OIDC_"
        let suffixes = ["ISSUER", "CLIENT_ID", "CLIENT_SECRET", "NAME", "TEAM_ID", "KEY_ID", "PRIVATE_KEY"]
        var ids: Set<String> = []
        for key in environment.keys where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let suffix = suffixes.first(where: { rest.hasSuffix("_" + $0) }) else {
                throw ConfigurationError(
                    variable: key,
                    expected: "one of LOAM_OIDC_<ID>_" + suffixes.joined(separator: ", _") + " (unknown setting)")
            }
            let id = String(rest.dropLast(suffix.count + 1))
            guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && $0.isUppercase) || $0.isNumber }) else {
                throw ConfigurationError(variable: key, expected: "<ID> to be one word of capital letters and digits")
            }
            ids.insert(id)
        }
        return try ids.sorted().map { try parseOne(id: $0, environment: environment, baseURL: baseURL) }
    }

    private static func parseOne(id: String, environment: [String: String], baseURL: URL) throws -> OIDCProviderSettings
    {
        func value(_ suffix: String) -> String? {
            let raw = environment["LOAM_OIDC_\(id)_\(suffix)"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            return raw?.isEmpty == false ? raw : nil
        }
        func required(_ suffix: String, _ expected: String) throws -> String {
            guard let found = value(suffix) else {
                throw ConfigurationError(variable: "LOAM_OIDC_\(id)_\(suffix)", expected: expected)
            }
            return found
        }
        let lower = id.lowercased()
        let issuerText =
            try value("ISSUER") ?? knownIssuers[lower]
            ?? required("ISSUER", "the provider's issuer URL, such as https://login.example.com")
        guard let issuer = URL(string: issuerText), issuer.host != nil, isAcceptable(issuer) else {
            throw ConfigurationError(
                variable: "LOAM_OIDC_\(id)_ISSUER", expected: "an https URL (plain http only on a loopback address)")
        }
        let clientID = try required("CLIENT_ID", "the client id the provider issued for this Loam server")
        let authentication: ClientAuthentication
        if lower == "apple" {
            let teamID = try required("TEAM_ID", "the Apple developer team id")
            let keyID = try required("KEY_ID", "the id of the Sign in with Apple key")
            let key = try required(
                "PRIVATE_KEY", "the Sign in with Apple key: its PEM text or the path of its .p8 file")
            authentication = .appleKey(
                teamID: teamID, keyID: keyID, privateKeyPEM: try readPEM(key, variable: "LOAM_OIDC_\(id)_PRIVATE_KEY"))
            guard baseURL.scheme?.lowercased() == "https" else {
                throw ConfigurationError(
                    variable: "LOAM_BASE_URL",
                    expected:
                        "an https URL when Sign in with Apple is configured (Apple posts its answer back cross-site)")
            }
        } else {
            authentication = .secret(try required("CLIENT_SECRET", "the client secret the provider issued"))
        }
        let name = value("NAME") ?? knownNames[lower] ?? lower.prefix(1).uppercased() + lower.dropFirst()
        guard name.count <= 60, !name.contains(where: \.isNewline) else {
            throw ConfigurationError(
                variable: "LOAM_OIDC_\(id)_NAME", expected: "a short label of at most 60 characters")
        }
        return OIDCProviderSettings(
            id: lower, name: name, issuer: issuer, clientID: clientID, clientAuthentication: authentication)
    }

    /// https, or http to a loopback address (a provider on the same machine, as in the tests).
    static func isAcceptable(_ url: URL) -> Bool {
        switch url.scheme?.lowercased() {
        case "https": return true
        case "http": return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host?.lowercased() ?? "")
        default: return false
        }
    }

    private static func readPEM(_ value: String, variable: String) throws -> String {
        if value.contains("-----BEGIN") { return value.replacingOccurrences(of: "\\n", with: "\n") }
        guard let data = FileManager.default.contents(atPath: value), let text = String(data: data, encoding: .utf8),
            text.contains("-----BEGIN")
        else {
            throw ConfigurationError(
                variable: variable, expected: "PEM text, or the path of a readable .p8 file holding it")
        }
        return text
    }
}

extension OIDCProviderSettings: CustomStringConvertible {
    /// Never the secret or the key.
    public var description: String { "OIDCProviderSettings(id: \(id), issuer: \(issuer.absoluteString))" }
}
