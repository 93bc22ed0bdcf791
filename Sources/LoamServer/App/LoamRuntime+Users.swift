import Fluent
import Foundation
import Vapor

extension LoamRuntime {
    /// What `loam user …` reports back: a line for the operator and whether it worked.
    public struct UserCommandResult: Sendable {
        public var message: String
        public var succeeded: Bool
    }

    /// `loam user create`: an account the operator vouches for, so it is created verified.
    public static func createUser(
        _ configuration: LoamConfiguration, email: String, name: String?, password: String, admin: Bool
    ) async throws -> UserCommandResult {
        try await runCommand(configuration) { app in
            do {
                let user = try await app.accounts.createAccount(
                    email: email, password: password,
                    name: name ?? email.split(separator: "@").first.map(String.init) ?? email,
                    verified: true, isAdmin: admin, context: .commandLine)
                return UserCommandResult(message: try user.requireID().uuidString.lowercased(), succeeded: true)
            } catch let error as AccountError {
                return UserCommandResult(message: error.detail, succeeded: false)
            }
        }
    }

    /// `loam user restrict` and `unrestrict`: every change is audited and the user is told by mail.
    public static func setRestriction(
        _ configuration: LoamConfiguration, email: String, reason: String?
    ) async throws -> UserCommandResult {
        try await runCommand(configuration) { app in
            guard let user = try await User.query(on: app.db).filter(\.$email == User.normalize(email: email)).first()
            else {
                return UserCommandResult(message: "No account uses that address.", succeeded: false)
            }
            guard let reason else {
                try await app.accounts.unrestrict(user, context: .commandLine)
                return UserCommandResult(message: "The restriction is lifted.", succeeded: true)
            }
            guard let parsed = RestrictionReason(rawValue: reason) else {
                let known = RestrictionReason.allCases.map(\.rawValue).joined(separator: ", ")
                return UserCommandResult(message: "Unknown reason; use one of: \(known).", succeeded: false)
            }
            try await app.accounts.restrict(user, reason: parsed, context: .commandLine)
            return UserCommandResult(
                message:
                    "Restricted (\(parsed.rawValue)); the account's sessions are signed out and a mail tells the user why.",
                succeeded: true)
        }
    }
}
