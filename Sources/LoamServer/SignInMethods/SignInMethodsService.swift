import Fluent
import Foundation
import LoamKit
import Vapor

/// The ways an account signs in, and the rules for changing them: any method can be added or
/// removed except the last one; every change is audited and mailed (the caller checks step-up).
struct SignInMethodsService: Sendable {
    let app: Application

    var db: any Database { app.db }
    var accounts: AccountService { app.accounts }

    /// One sign-in method as the account page and the API show it.
    struct Method: Content, Sendable, Equatable {
        /// `password`, or a provider id such as `google`.
        var id: String
        var kind: String
        var name: String
        var email: String?
        var addedAt: Date?
        var lastUsedAt: Date?
    }

    func methods(of user: User) async throws -> [Method] {
        var methods: [Method] = []
        if user.passwordHash != nil {
            methods.append(Method(id: "password", kind: "password", name: "Password", email: user.email))
        }
        let identities = try await ExternalIdentity.query(on: db).filter(\.$user.$id == (try user.requireID()))
            .sort(\.$provider).all()
        for identity in identities {
            methods.append(
                Method(
                    id: identity.provider, kind: "provider", name: app.oidcProviders.name(of: identity.provider),
                    email: identity.email, addedAt: identity.createdAt, lastUsedAt: identity.lastUsedAt))
        }
        return methods
    }

    /// Gives a provider-only account a password.
    func addPassword(_ newPassword: String, to user: User, context: ClientContext) async throws {
        guard user.passwordHash == nil else { throw SignInMethodError.passwordAlreadySet }
        let hash = try await accounts.hashIfAcceptable(newPassword, for: user)
        try await db.writeTransaction { tx in
            user.passwordHash = hash
            try await user.save(on: tx)
            try await accounts.audit(user, .signInMethodAdded, context, detail: "password", on: tx)
            try await SignInMethodMail.added("A password", to: user, accounts: accounts, on: tx)
        }
    }

    /// Removes `id` (`password` or a provider id) unless it is the account's last method.
    func remove(_ id: String, from user: User, context: ClientContext) async throws {
        let userID = try user.requireID()
        try await db.writeTransaction { tx in
            // Counted inside the transaction, so two removals at once cannot leave the account without a method.
            let identities = try await ExternalIdentity.query(on: tx).filter(\.$user.$id == userID).all()
            let fresh = try await User.find(userID, on: tx) ?? user
            let count = identities.count + (fresh.passwordHash == nil ? 0 : 1)
            let name: String
            if id == "password" {
                guard fresh.passwordHash != nil else { throw SignInMethodError.notLinked }
                guard count > 1 else { throw SignInMethodError.lastMethod }
                fresh.passwordHash = nil
                try await fresh.save(on: tx)
                user.passwordHash = nil
                name = "The password"
            } else {
                guard let identity = identities.first(where: { $0.provider == id.lowercased() }) else {
                    throw SignInMethodError.notLinked
                }
                guard count > 1 else { throw SignInMethodError.lastMethod }
                try await identity.delete(on: tx)
                name = app.oidcProviders.name(of: identity.provider)
            }
            try await accounts.audit(user, .signInMethodRemoved, context, detail: id.lowercased(), on: tx)
            try await SignInMethodMail.removed(name, from: user, accounts: accounts, on: tx)
        }
    }
}

extension Application {
    var signInMethods: SignInMethodsService { SignInMethodsService(app: self) }
}

/// The mails that tell the account's owner a way to sign in was added or removed: if it was not them,
/// they hear of it at once.
enum SignInMethodMail {
    static func added(_ method: String, to user: User, accounts: AccountService, on database: any Database) async throws
    {
        // An address nobody has proven gets no mail of ours about its sign-in methods.
        guard user.isVerified else { return }
        try await accounts.mail(
            user, subject: "A sign-in method was added to your Loam account", category: "sign-in-method", on: database,
            body: """
                Hello \(MailText.name(user.name)),

                \(method) can now be used to sign in to your Loam account.

                If this was not you, reset your password from "Can't sign in?" on the sign-in page and remove the method from Sign-in methods on your account page.
                """)
    }

    static func removed(_ method: String, from user: User, accounts: AccountService, on database: any Database)
        async throws
    {
        guard user.isVerified else { return }
        try await accounts.mail(
            user, subject: "A sign-in method was removed from your Loam account", category: "sign-in-method",
            on: database,
            body: """
                Hello \(MailText.name(user.name)),

                \(method) can no longer be used to sign in to your Loam account.

                If this was not you, reset your password from "Can't sign in?" on the sign-in page.
                """)
    }
}
