import Fluent
import Foundation
import LoamKit
import Vapor

/// Accounts: sign-up, passwords, recovery, the account page and its security log.
struct AccountsFeature: LoamFeature {
    var migrations: [any Migration] {
        [CreateUsers(), CreateAccountTokens(), CreateAuditEvents(), CreateSignInFailures(), CreateSignInThrottles()]
    }

    var problemTypes: [ProblemType] { ProblemType.accountTypes }

    func configure(_ app: Application) throws {
        let configuration = app.loamConfiguration
        do {
            app.passwordHashing = try LoamKit.PasswordHasher(
                iterations: configuration.passwordIterations,
                allowInsecureIterationsForTesting: configuration.allowInsecurePasswordIterations)
        } catch {
            throw ConfigurationError(
                variable: "LOAM_PASSWORD_ITERATIONS", expected: "a whole number from 600000 to 10000000")
        }
        let hashingPool = PasswordHashing.makeThreadPool()
        app.lifecycle.use(PasswordHashingLifecycle(pool: hashingPool))
        app.passwordService = try PasswordHashing(
            hasher: app.passwordHashing, threadPool: hashingPool, capacity: configuration.passwordHashQueue)
        app.passwordPolicy = PasswordPolicy(commonPasswords: try Self.loadCommonPasswords(app))
    }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: AccountsAPIController())
        try app.register(collection: AccountPagesController())
    }

    /// Django's list of common passwords (Resources/Passwords, origin noted there).
    private static func loadCommonPasswords(_ app: Application) throws -> String {
        let path = app.directory.resourcesDirectory + "Passwords/common-passwords.txt"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                variable: "LOAM_DATA_DIR", expected: "Loam's Resources folder beside it; \(path) is missing")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
