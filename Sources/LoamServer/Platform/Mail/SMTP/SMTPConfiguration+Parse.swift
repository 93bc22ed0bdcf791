import Foundation
import NIOSSL

extension SMTPConfiguration {
    static let expectedURL =
        "an SMTP URL such as smtp://user:password@mail.example.com:587 or smtps://user:password@mail.example.com"
        + " (percent-encode reserved characters in user and password; options: starttls=required, auth=plain|login,"
        + " helo=name, timeout=seconds)"

    /// Parses `SMTP_URL` and `SMTP_CA_FILE`.
    ///
    /// Written by hand rather than with `URLComponents`: a password may hold anything once percent-encoded, and
    /// every error must stay free of it. A CA file is read here, so a missing or empty one stops start-up
    /// instead of failing every delivery later.
    static func parse(url raw: String, caFile: String?) throws(SMTPConfigurationError) -> SMTPConfiguration {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let security: Security
        let rest: Substring
        if let range = text.range(of: "smtps://", options: [.caseInsensitive, .anchored]) {
            security = .implicitTLS
            rest = text[range.upperBound...]
        } else if let range = text.range(of: "smtp://", options: [.caseInsensitive, .anchored]) {
            security = .startTLSIfOffered
            rest = text[range.upperBound...]
        } else {
            throw .url(expectedURL)
        }

        let (beforeQuery, query) = split(rest, at: "?")
        guard !beforeQuery.contains("#") else { throw .url(expectedURL) }
        let (authority, path) = split(beforeQuery, at: "/")
        guard path == nil || path!.isEmpty else { throw .url(expectedURL + "; no path") }

        var username: String?
        var password: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let (rawUser, rawPassword) = split(userInfo, at: ":")
            let invalid = SMTPConfigurationError.url(
                expectedURL + "; a user name, and valid percent-encoding in user and password")
            guard let user = rawUser.removingPercentEncoding, !user.isEmpty else { throw invalid }
            username = user
            if let rawPassword {
                guard let secret = rawPassword.removingPercentEncoding else { throw invalid }
                password = secret
            }
        }

        let (host, port) = try parseHostPort(hostPort, defaultPort: security == .implicitTLS ? 465 : 25)
        var configuration = SMTPConfiguration(
            host: host, port: port, security: security, username: username, password: password)
        try configuration.applyQuery(query)
        try configuration.applyCAFile(caFile)
        return configuration
    }

    private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }

    private static func parseHostPort(
        _ text: Substring, defaultPort: Int
    ) throws(SMTPConfigurationError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            // An IPv6 literal: its colons are not the port separator.
            guard let close = text.firstIndex(of: "]") else { throw .url(expectedURL) }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .url(expectedURL) }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .url(expectedURL + "; a valid IPv6 address in brackets")
            }
        } else {
            (host, portText) = split(text, at: ":")
            guard isValidDomain(String(host)) else { throw .url(expectedURL + "; a host name or address") }
        }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value), portText.allSatisfy(\.isNumber) else {
                throw .url(expectedURL + "; a port between 1 and 65535")
            }
            port = value
        }
        return (host.lowercased(), port)
    }

    private mutating func applyQuery(_ query: Substring?) throws(SMTPConfigurationError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let (rawKey, rawValue) = SMTPConfiguration.split(pair, at: "=")
            guard let key = rawKey.removingPercentEncoding?.lowercased(),
                let value = (rawValue ?? "").removingPercentEncoding
            else { throw .url(SMTPConfiguration.expectedURL) }
            switch key {
            case "starttls":
                guard value.lowercased() == "required", security != .implicitTLS else {
                    throw .url("starttls=required, and only with smtp:// (smtps:// is TLS from the start)")
                }
                security = .startTLSRequired
            case "auth":
                guard let mechanism = SMTPAuthMechanism(rawValue: value.uppercased()) else {
                    throw .url("auth=plain or auth=login")
                }
                authMechanism = mechanism
            case "helo":
                guard SMTPConfiguration.isValidDomain(value) else { throw .url("helo=<a domain name>") }
                heloName = value
            case "timeout":
                guard let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw .url("timeout=<seconds between 1 and 3600>")
                }
                timeout = .seconds(seconds)
            default:
                throw .url(SMTPConfiguration.expectedURL + "; unknown option")
            }
        }
    }

    private mutating func applyCAFile(_ path: String?) throws(SMTPConfigurationError) {
        guard let path = path?.trimmingCharacters(in: .whitespaces), !path.isEmpty else { return }
        let error = SMTPConfigurationError(
            variable: "SMTP_CA_FILE", expected: "a readable PEM file holding at least one CA certificate")
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else { throw error }
        caFile = path
    }
}
