import Foundation
import LoamKit
import Logging

/// Everything Loam reads from its environment, parsed once at start-up into typed values.
///
/// Features read their settings from here, never from `ProcessInfo` directly, so a bad value stops
/// start-up with one clear line instead of failing later inside a request.
public struct LoamConfiguration: Sendable {
    /// Folder for the SQLite database, the key file and the mail outbox (`LOAM_DATA_DIR`, default `data`).
    public var dataDirectory: String
    /// Where uploads wait, sealed, for their import (`SealedSpool`): inside the data directory.
    var importSpoolDirectory: String { (dataDirectory as NSString).appendingPathComponent("import-spool") }
    /// Address and port the HTTP server binds to (`--hostname`, `--port`).
    public var hostname: String
    public var port: Int
    /// The public URL used in links and redirects (`LOAM_BASE_URL`, default `http://hostname:port`).
    public var baseURL: URL
    public var database: DatabaseConfiguration
    /// Minimum level of log lines (`LOAM_LOG_LEVEL`, default `info`).
    public var logLevel: Logger.Level
    /// Where the master key comes from (`LOAM_MASTER_KEY`, else a key file in the data directory).
    public var masterKey: MasterKeySource
    /// Old master keys still accepted for unwrapping while `loam keys rotate` re-wraps (`LOAM_MASTER_KEY_RETIRED`).
    public var retiredMasterKeys: [MasterKey]
    /// PBKDF2 iterations for new password hashes (`LOAM_PASSWORD_ITERATIONS`, at least 600,000).
    public var passwordIterations: Int
    /// Lets tests hash passwords cheaply. Never set from the environment.
    public var allowInsecurePasswordIterations: Bool
    /// The sender of every mail (`LOAM_MAIL_FROM`, default `Loam <loam@host of the base URL>`).
    public var mailFrom: MailAddress
    /// The relay mail goes to (`SMTP_URL`, `SMTP_CA_FILE`); nil writes mails into `outboxDirectory`.
    var smtp: SMTPConfiguration?
    /// Where mails are written when no relay is configured (`$LOAM_DATA_DIR/outbox`).
    public var outboxDirectory: String
    /// Jobs run at once by this process's worker (`LOAM_WORKER_CONCURRENCY`, default 16): jobs mostly wait on
    /// the network (a relay, a provider), and writes take turns at the database anyway.
    public var workerConcurrency: Int
    /// Seconds a worker holds a job without renewing it; a dead worker's jobs run again after this
    /// (`LOAM_JOB_LEASE_SECONDS`, default 60).
    public var jobLeaseSeconds: Int
    /// Whether this process runs the job worker (`loam serve` and `loam worker` do; tests choose).
    public var runsWorker: Bool
    /// A session ends after this many days without use (`LOAM_SESSION_IDLE_DAYS`, default 14) …
    public var sessionIdleDays: Int
    /// … and at the latest this many days after sign-in (`LOAM_SESSION_MAX_DAYS`, default 30).
    public var sessionMaxDays: Int
    /// Proxies whose `X-Forwarded-For` names the client (`LOAM_TRUSTED_PROXIES`).
    public var trustedProxies: TrustedProxies
    /// Failed sign-ins one client address may make per hour, whatever accounts it tries
    /// (`LOAM_SIGNIN_FAILURES_PER_ADDRESS_PER_HOUR`, default 50).
    public var signInFailuresPerAddressPerHour: Int
    /// Invitation mails (first sends and resends) one workspace may send per hour
    /// (`LOAM_INVITATIONS_PER_WORKSPACE_PER_HOUR`, default 100) …
    public var invitationsPerWorkspacePerHour = 100
    /// … and one inviter, across workspaces (`LOAM_INVITATIONS_PER_INVITER_PER_HOUR`, default 50).
    public var invitationsPerInviterPerHour = 50
    /// Password hashes running or waiting at once (`LOAM_PASSWORD_HASH_QUEUE`); beyond it, 503 with Retry-After.
    public var passwordHashQueue = 256
    /// The largest file the Imports page accepts, in megabytes (`LOAM_IMPORT_UPLOAD_MAX_MB`, default 4096).
    public var importUploadMaxMegabytes = 4096
    /// OpenID Connect providers (`LOAM_OIDC_<ID>_*`), ordered by id.
    public var oidcProviders: [OIDCProviderSettings] = []
    /// Where vulnerability reports go, as `/.well-known/security.txt` names it (`LOAM_SECURITY_CONTACT`, a
    /// `mailto:` or `https:` URI); nil means `mailto:` the sender of Loam's mail (`securityContactURI`).
    public var securityContact: String?

    /// The `Contact:` of security.txt: the configured one, else the mail sender's address.
    public var securityContactURI: String { securityContact ?? "mailto:" + mailFrom.address }

    public static let defaultHostname = "127.0.0.1"
    public static let defaultPort = 8080

    public init(
        dataDirectory: String = "data",
        hostname: String = LoamConfiguration.defaultHostname,
        port: Int = LoamConfiguration.defaultPort,
        baseURL: URL? = nil,
        database: DatabaseConfiguration? = nil,
        logLevel: Logger.Level = .info,
        masterKey: MasterKeySource? = nil,
        retiredMasterKeys: [MasterKey] = [],
        passwordIterations: Int = PasswordHasher.defaultIterations,
        allowInsecurePasswordIterations: Bool = false,
        mailFrom: MailAddress? = nil,
        workerConcurrency: Int = 16,
        jobLeaseSeconds: Int = 60,
        runsWorker: Bool = true,
        sessionIdleDays: Int = 14,
        sessionMaxDays: Int = 30,
        trustedProxies: TrustedProxies = .none,
        signInFailuresPerAddressPerHour: Int = 50
    ) {
        self.dataDirectory = dataDirectory
        self.hostname = hostname
        self.port = port
        self.baseURL = baseURL ?? Self.derivedBaseURL(hostname: hostname, port: port)
        self.database = database ?? .sqlite(path: (dataDirectory as NSString).appendingPathComponent("loam.sqlite"))
        self.logLevel = logLevel
        self.masterKey = masterKey ?? .keyFile(path: (dataDirectory as NSString).appendingPathComponent("master.key"))
        self.retiredMasterKeys = retiredMasterKeys
        self.passwordIterations = passwordIterations
        self.allowInsecurePasswordIterations = allowInsecurePasswordIterations
        self.mailFrom = mailFrom ?? Self.defaultMailFrom(baseURL: self.baseURL)
        self.smtp = nil
        self.outboxDirectory = (dataDirectory as NSString).appendingPathComponent("outbox")
        self.workerConcurrency = workerConcurrency
        self.jobLeaseSeconds = jobLeaseSeconds
        self.runsWorker = runsWorker
        self.sessionIdleDays = sessionIdleDays
        self.sessionMaxDays = sessionMaxDays
        self.trustedProxies = trustedProxies
        self.signInFailuresPerAddressPerHour = signInFailuresPerAddressPerHour
    }

    /// `Loam <loam@host>` for a named host; `loam@localhost` when the base URL is an IP address.
    static func defaultMailFrom(baseURL: URL) -> MailAddress {
        let host = baseURL.host ?? "localhost"
        let usable = host.contains(".") && !host.allSatisfy({ $0.isNumber || $0 == "." }) ? host : "localhost"
        return (try? MailAddress("loam@\(usable)", name: "Loam")) ?? (try! MailAddress("loam@localhost", name: "Loam"))
    }

    /// Whether links point at an https origin: turns on HSTS and `Secure` cookies.
    public var isHTTPS: Bool { baseURL.scheme?.lowercased() == "https" }

    /// Reads the configuration from environment variables; `hostname` and `port` come from the command line.
    public static func load(
        environment: [String: String],
        hostname: String? = nil,
        port: Int? = nil
    ) throws -> LoamConfiguration {
        let dataDirectory = nonEmpty(environment["LOAM_DATA_DIR"]) ?? "data"
        let hostname = hostname ?? defaultHostname
        let port = port ?? defaultPort
        guard (0...65535).contains(port) else {
            throw ConfigurationError(variable: "--port", expected: "a port number between 0 and 65535")
        }
        var baseURL = derivedBaseURL(hostname: hostname, port: port)
        if let raw = nonEmpty(environment["LOAM_BASE_URL"]) {
            baseURL = try parseBaseURL(raw)
        }
        let database = try DatabaseConfiguration.parse(
            databaseURL: environment["DATABASE_URL"], dataDirectory: dataDirectory)
        var logLevel = Logger.Level.info
        if let raw = nonEmpty(environment["LOAM_LOG_LEVEL"]) {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw ConfigurationError(
                    variable: "LOAM_LOG_LEVEL",
                    expected: "one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
        var masterKey: MasterKeySource? = nil
        if let raw = nonEmpty(environment["LOAM_MASTER_KEY"]) {
            masterKey = .provided(try parseMasterKey(raw, variable: "LOAM_MASTER_KEY"))
        }
        let retired = try (nonEmpty(environment["LOAM_MASTER_KEY_RETIRED"]) ?? "")
            .split(separator: ",")
            .map { try parseMasterKey(String($0), variable: "LOAM_MASTER_KEY_RETIRED") }
        var passwordIterations = PasswordHasher.defaultIterations
        if let raw = nonEmpty(environment["LOAM_PASSWORD_ITERATIONS"]) {
            guard let value = Int(raw), value >= PasswordHasher.defaultIterations,
                value <= PasswordHasher.maximumIterations
            else {
                throw ConfigurationError(
                    variable: "LOAM_PASSWORD_ITERATIONS",
                    expected: "a whole number from 600000 (OWASP's minimum for PBKDF2-HMAC-SHA256) to 10000000")
            }
            passwordIterations = value
        }
        var mailFrom: MailAddress? = nil
        if let raw = nonEmpty(environment["LOAM_MAIL_FROM"]) {
            do {
                mailFrom = try MailAddress.parse(raw)
            } catch {
                throw ConfigurationError(
                    variable: "LOAM_MAIL_FROM", expected: "an address such as Loam <loam@example.com>")
            }
        }
        var smtp: SMTPConfiguration? = nil
        if let raw = nonEmpty(environment["SMTP_URL"]) {
            do {
                smtp = try SMTPConfiguration.parse(url: raw, caFile: nonEmpty(environment["SMTP_CA_FILE"]))
            } catch {
                throw ConfigurationError(variable: error.variable, expected: error.expected)
            }
        } else if nonEmpty(environment["SMTP_CA_FILE"]) != nil {
            throw ConfigurationError(variable: "SMTP_CA_FILE", expected: "to be used together with SMTP_URL")
        }
        let concurrency = try positiveInt(environment, "LOAM_WORKER_CONCURRENCY", default: 16, range: 1...64)
        let lease = try positiveInt(environment, "LOAM_JOB_LEASE_SECONDS", default: 60, range: 2...86_400)
        let idleDays = try positiveInt(environment, "LOAM_SESSION_IDLE_DAYS", default: 14, range: 1...365)
        let maxDays = try positiveInt(environment, "LOAM_SESSION_MAX_DAYS", default: 30, range: 1...3650)
        var proxies = TrustedProxies.none
        if let raw = nonEmpty(environment["LOAM_TRUSTED_PROXIES"]) {
            guard let parsed = TrustedProxies(parsing: raw) else {
                throw ConfigurationError(
                    variable: "LOAM_TRUSTED_PROXIES",
                    expected: "comma-separated IP addresses or CIDR ranges such as 10.0.0.0/8")
            }
            proxies = parsed
        }
        let perAddress = try positiveInt(
            environment, "LOAM_SIGNIN_FAILURES_PER_ADDRESS_PER_HOUR", default: 50, range: 1...1_000_000)
        var configuration = LoamConfiguration(
            dataDirectory: dataDirectory, hostname: hostname, port: port, baseURL: baseURL,
            database: database, logLevel: logLevel, masterKey: masterKey, retiredMasterKeys: retired,
            passwordIterations: passwordIterations, mailFrom: mailFrom,
            workerConcurrency: concurrency, jobLeaseSeconds: lease,
            sessionIdleDays: idleDays, sessionMaxDays: maxDays, trustedProxies: proxies,
            signInFailuresPerAddressPerHour: perAddress
        ).with(smtp: smtp).with(
            oidcProviders: try OIDCProviderSettings.parse(environment: environment, baseURL: baseURL))
        configuration.invitationsPerWorkspacePerHour = try positiveInt(
            environment, "LOAM_INVITATIONS_PER_WORKSPACE_PER_HOUR", default: 100, range: 1...1_000_000)
        configuration.invitationsPerInviterPerHour = try positiveInt(
            environment, "LOAM_INVITATIONS_PER_INVITER_PER_HOUR", default: 50, range: 1...1_000_000)
        configuration.passwordHashQueue = try positiveInt(
            environment, "LOAM_PASSWORD_HASH_QUEUE", default: 256, range: 1...100_000)
        configuration.importUploadMaxMegabytes = try positiveInt(
            environment, "LOAM_IMPORT_UPLOAD_MAX_MB", default: 4096, range: 1...1_048_576)
        configuration.securityContact = try nonEmpty(environment["LOAM_SECURITY_CONTACT"]).map(parseSecurityContact)
        return configuration
    }

    /// A `mailto:` or `https:` URI as RFC 9116 wants for `Contact:`; a bare address becomes `mailto:`.
    static func parseSecurityContact(_ raw: String) throws -> String {
        let invalid = ConfigurationError(
            variable: "LOAM_SECURITY_CONTACT",
            expected:
                "a mailto: or https: URI, or an address, such as mailto:security@example.com or https://example.com/report"
        )
        if raw.lowercased().hasPrefix("mailto:") {
            guard let address = try? MailAddress(String(raw.dropFirst("mailto:".count))) else { throw invalid }
            return "mailto:" + address.address
        }
        if raw.lowercased().hasPrefix("https:") {
            guard let components = URLComponents(string: raw), let host = components.host, !host.isEmpty,
                !raw.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
            else { throw invalid }
            return raw
        }
        guard !raw.contains(":"), let address = try? MailAddress(raw) else { throw invalid }
        return "mailto:" + address.address
    }

    func with(oidcProviders: [OIDCProviderSettings]) -> LoamConfiguration {
        var copy = self
        copy.oidcProviders = oidcProviders
        return copy
    }

    func with(smtp: SMTPConfiguration?) -> LoamConfiguration {
        var copy = self
        copy.smtp = smtp
        return copy
    }

    private static func positiveInt(
        _ environment: [String: String], _ variable: String, default value: Int, range: ClosedRange<Int>
    ) throws -> Int {
        guard let raw = nonEmpty(environment[variable]) else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw ConfigurationError(
                variable: variable, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return parsed
    }

    static func parseMasterKey(_ raw: String, variable: String) throws -> MasterKey {
        do {
            return try MasterKey(base64: raw)
        } catch {
            throw ConfigurationError(
                variable: variable, expected: "a 32-byte key in base64 (make one with `loam keys generate`)")
        }
    }

    static func parseBaseURL(_ raw: String) throws -> URL {
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil,
            let url = components.url
        else {
            throw ConfigurationError(
                variable: "LOAM_BASE_URL", expected: "an absolute http(s) URL such as https://loam.example.com")
        }
        return url
    }

    static func derivedBaseURL(hostname: String, port: Int) -> URL {
        // A wildcard bind address is not something a browser can open; links then point at loopback.
        let host = ["0.0.0.0", "::", "[::]"].contains(hostname) ? "127.0.0.1" : hostname
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return URL(string: "http://\(bracketed):\(port)")!
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}
