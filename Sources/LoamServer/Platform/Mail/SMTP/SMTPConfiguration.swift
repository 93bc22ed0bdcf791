import Foundation

/// Where and how mail is handed to the relay, parsed once at boot from `SMTP_URL` (and `SMTP_CA_FILE`).
///
/// `smtp://[user[:password]@]host[:port][?starttls=required&auth=plain|login&helo=name&timeout=seconds]`
/// uses port 25 and upgrades with STARTTLS whenever the server offers it; `smtps://…` speaks TLS from the first
/// byte on port 465. User and password are percent-decoded.
struct SMTPConfiguration: Sendable, Equatable {
    enum Security: String, Sendable, Equatable {
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
        /// `smtp://`: STARTTLS when the server offers it. Credentials are still never sent in clear to a host
        /// other than loopback (`SMTPError.credentialsInClear`).
        case startTLSIfOffered
        /// `smtp://…?starttls=required`: a server that does not offer STARTTLS is an error.
        case startTLSRequired
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    /// PEM file with the only roots trusted for the relay's certificate; `nil` trusts the system's roots.
    var caFile: String?
    /// The name this client gives in EHLO.
    var heloName: String
    /// `nil` prefers PLAIN, then LOGIN, among what the server offers; set to force one (`?auth=login`).
    var authMechanism: SMTPAuthMechanism?
    /// Limit for connecting and for each reply (`?timeout=seconds`, default 30 s).
    var timeout: Duration

    init(
        host: String,
        port: Int,
        security: Security,
        username: String? = nil,
        password: String? = nil,
        caFile: String? = nil,
        heloName: String = SMTPConfiguration.defaultHeloName(),
        authMechanism: SMTPAuthMechanism? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.authMechanism = authMechanism
        self.timeout = timeout
    }

    var hasCredentials: Bool { username != nil }

    /// `smtp://user@host:port`, for logs and start-up messages: never the password.
    var redactedDescription: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = username.map { "\($0)@" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(user)\(hostPart):\(port)"
    }

    /// Whether `host` is this machine, where a password in clear never crosses a network.
    var isLoopbackHost: Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name == "::1"
            || (name.hasPrefix("127.") && SMTPConfiguration.isIPv4Literal(name))
    }

    /// Whether `host` is an IP address literal: TLS then sends no SNI and checks the certificate against the address.
    var hostIsIPAddress: Bool {
        SMTPConfiguration.isIPv4Literal(host) || host.contains(":")
    }

    static func isIPv4Literal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
            }
    }

    /// A name for EHLO: the machine's host name when it looks like a domain, else `localhost`.
    static func defaultHeloName() -> String {
        let name = ProcessInfo.processInfo.hostName
        return isValidDomain(name) ? name : "localhost"
    }

    static func isValidDomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
