import Fluent
import Foundation
import LoamKit
import Vapor

/// The provider sign-in flow: start (state, nonce, PKCE, remembered server-side) and callback
/// (state checked and used up, code exchanged, ID token verified, then sign in, sign up, link or
/// step-up). Accounts are found by the provider's subject, never by address alone.
struct OIDCSignInService: Sendable {
    let app: Application

    var db: any Database { app.db }
    var now: Date { app.clock.now() }
    var accounts: AccountService { app.accounts }

    /// Where the flow ended, for the page to act on.
    enum Outcome: Sendable {
        case signedIn(User, SessionToken, returnTo: String?)
        case signedUp(User, SessionToken, returnTo: String?)
        /// A verified address matches an account without this provider: sign in another way, then it links.
        case linkPending(token: String, email: String, providerName: String)
        case linked(User, returnTo: String?)
        case reauthenticated(User, returnTo: String?)
    }

    /// The callback's parameters: `code` and `state`, or `error`; Apple adds `user` on the first authorization.
    struct CallbackParameters: Content, Sendable {
        var code: String?
        var state: String?
        var error: String?
        var user: String?
    }

    // MARK: Start

    /// Remembers a new flow and returns where to send the browser. `browserToken` is the random value of
    /// the `loam_oidc` cookie that binds the flow to this browser (nil for form_post providers).
    func start(
        provider id: String, purpose: PreAuthentication.Purpose, user: User?, returnTo: String?, browserToken: String?
    ) async throws -> URL {
        let client = try app.oidcProviders.client(id)
        let settings = client.settings
        let state = SecureToken.generate()
        let nonce = SecureToken.generate().token
        let verifier = PKCE.makeVerifier()
        let url: URL
        do {
            url = try await client.authorizationURL(
                state: state.token, nonce: nonce, codeChallenge: PKCE.challenge(for: verifier),
                redirectURI: app.oidcRedirectURI(settings.id), now: now)
        } catch is OIDCFailure {
            throw SignInMethodError.providerUnavailable(name: settings.name)
        }
        let record = PreAuthentication(
            stateHash: state.hash, provider: settings.id, purpose: purpose, userID: try user?.requireID(), nonce: nonce,
            codeVerifier: verifier, browserHash: browserToken.map(SecureToken.hash), returnTo: returnTo,
            expiresAt: now.addingTimeInterval(PreAuthentication.lifetime))
        let cutoff = now
        try await db.writeTransaction { tx in
            // Housekeeping: flows nobody finished.
            try await PreAuthentication.query(on: tx).filter(\.$expiresAt < cutoff).delete()
            try await PendingLink.query(on: tx).filter(\.$expiresAt < cutoff).delete()
            try await record.create(on: tx)
        }
        return url
    }

    // MARK: Callback

    func complete(
        provider id: String, _ parameters: CallbackParameters, browserToken: String?, context: ClientContext
    ) async throws -> Outcome {
        let client = try app.oidcProviders.client(id)
        let settings = client.settings
        let flow = try await takeFlow(state: parameters.state, provider: settings, browserToken: browserToken)
        if parameters.error != nil { throw SignInMethodError.cancelled(name: settings.name) }
        guard let code = parameters.code, !code.isEmpty, code.count <= 4096 else {
            throw SignInMethodError.providerRefused(name: settings.name)
        }
        let claims: IDTokenClaims
        do {
            claims = try await client.completeSignIn(
                code: code, codeVerifier: flow.codeVerifier, nonce: flow.nonce,
                redirectURI: app.oidcRedirectURI(settings.id),
                now: now)
        } catch let failure as OIDCFailure {
            if case .unavailable = failure { throw SignInMethodError.providerUnavailable(name: settings.name) }
            throw SignInMethodError.providerRefused(name: settings.name)
        }
        let identity = try await ExternalIdentity.query(on: db)
            .filter(\.$provider == settings.id).filter(\.$subject == claims.subject).with(\.$user).first()

        switch flow.purpose {
        case .reauthenticate:
            guard let identity, identity.$user.id == flow.userID else {
                throw SignInMethodError.reauthenticationMismatch(name: settings.name)
            }
            return .reauthenticated(identity.user, returnTo: flow.returnTo)
        case .link:
            guard let userID = flow.userID, let user = try await User.find(userID, on: db) else {
                throw SignInMethodError.flowExpired
            }
            // Nothing is linked to an account whose mailbox nobody has proven.
            guard user.isVerified else { throw AccountError.emailUnverified }
            try await link(
                user, provider: settings, subject: claims.subject, email: claims.email, existing: identity,
                context: context)
            return .linked(user, returnTo: flow.returnTo)
        case .signIn:
            if let identity {
                return try await signIn(
                    identity, provider: settings, claims: claims, returnTo: flow.returnTo, context: context)
            }
            return try await signUpOrAskToLink(
                provider: settings, claims: claims, appleUser: parameters.user, returnTo: flow.returnTo,
                context: context)
        }
    }

    /// Finds the flow by its state and deletes it in one transaction: a state works once, in the browser
    /// that started it, within its lifetime.
    private func takeFlow(state: String?, provider: OIDCProviderSettings, browserToken: String?) async throws
        -> PreAuthentication
    {
        guard let state, SecureToken.isWellFormed(state) else { throw SignInMethodError.flowExpired }
        let hash = SecureToken.hash(state)
        let flow = try await db.writeTransaction { tx -> PreAuthentication? in
            guard let flow = try await PreAuthentication.query(on: tx).filter(\.$stateHash == hash).first() else {
                return nil
            }
            try await flow.delete(on: tx)
            return flow
        }
        guard let flow, flow.provider == provider.id, flow.expiresAt > now else { throw SignInMethodError.flowExpired }
        if let expected = flow.browserHash {
            guard let browserToken, SecureToken.hash(browserToken) == expected else {
                throw SignInMethodError.flowExpired
            }
        }
        return flow
    }

    private func signIn(
        _ identity: ExternalIdentity, provider: OIDCProviderSettings, claims: IDTokenClaims, returnTo: String?,
        context: ClientContext
    ) async throws -> Outcome {
        let user = identity.user
        if let reason = user.restriction {
            try await db.writeTransaction { tx in
                try await accounts.audit(user, .signInRefusedRestricted, context, detail: reason.rawValue, on: tx)
            }
            throw AccountError.restricted(reason)
        }
        let session = try await db.writeTransaction { tx in
            identity.lastUsedAt = now
            if let email = claims.email { identity.email = User.normalize(email: email) }
            try await identity.save(on: tx)
            try await accounts.audit(user, .signedIn, context, detail: provider.id, on: tx)
            return try await app.sessionStore.create(for: user, context: context, on: tx)
        }
        return .signedIn(user, session, returnTo: returnTo)
    }

    private func signUpOrAskToLink(
        provider: OIDCProviderSettings, claims: IDTokenClaims, appleUser: String?, returnTo: String?,
        context: ClientContext
    ) async throws -> Outcome {
        guard let rawEmail = claims.email, let address = try? MailAddress(User.normalize(email: rawEmail)) else {
            throw SignInMethodError.noEmail(name: provider.name)
        }
        let email = address.address
        if let existing = try await User.query(on: db).filter(\.$email == email).first() {
            // Only an address the provider vouches for may lead to an account, and even then only after
            // the person proves they own that account.
            guard claims.emailVerified else { throw SignInMethodError.unverifiedEmailTaken(name: provider.name) }
            if !existing.isVerified {
                return try await proveAndSignIn(
                    existing, provider: provider, claims: claims, returnTo: returnTo, context: context)
            }
            let (token, hash) = SecureToken.generate()
            let pending = PendingLink(
                tokenHash: hash, userID: try existing.requireID(), provider: provider.id, subject: claims.subject,
                email: email,
                expiresAt: now.addingTimeInterval(PendingLink.lifetime))
            try await db.writeTransaction { tx in try await pending.create(on: tx) }
            return .linkPending(token: token, email: email, providerName: provider.name)
        }
        let name = Self.displayName(claims: claims, appleUser: appleUser, email: email)
        let user = User(email: email, name: name, passwordHash: nil)
        if claims.emailVerified { user.emailVerifiedAt = now }
        do {
            let session = try await db.writeTransaction { tx in
                try await user.create(on: tx)
                try await ExternalIdentity(
                    userID: try user.requireID(), provider: provider.id, subject: claims.subject, email: email, now: now
                ).create(on: tx)
                try await accounts.audit(user, .accountCreated, context, detail: provider.id, on: tx)
                if !claims.emailVerified { try await accounts.sendVerification(to: user, on: tx) }
                return try await app.sessionStore.create(for: user, context: context, on: tx)
            }
            return .signedUp(user, session, returnTo: returnTo)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same person finishing two sign-ups at once: the other one won; sign in again.
            throw SignInMethodError.flowExpired
        }
    }

    /// An account nobody had proven the address of, claimed by a provider that vouches for the address: that
    /// is the first proof of the mailbox, so every sign-in method and session from before goes (they may
    /// be someone else's) and the provider becomes the account's way in.
    private func proveAndSignIn(
        _ user: User, provider: OIDCProviderSettings, claims: IDTokenClaims, returnTo: String?, context: ClientContext
    ) async throws -> Outcome {
        if let reason = user.restriction { throw AccountError.restricted(reason) }
        let session = try await db.writeTransaction { tx in
            guard let fresh = try await User.find(try user.requireID(), on: tx), !fresh.isVerified else {
                throw SignInMethodError.flowExpired
            }
            try await accounts.proveMailbox(fresh, context, on: tx)
            try await accounts.endLinks(of: fresh, on: tx)
            try await ExternalIdentity(
                userID: try fresh.requireID(), provider: provider.id, subject: claims.subject, email: fresh.email,
                now: now
            ).create(on: tx)
            try await accounts.audit(fresh, .signInMethodAdded, context, detail: provider.id, on: tx)
            try await accounts.audit(fresh, .signedIn, context, detail: provider.id, on: tx)
            return try await app.sessionStore.create(for: fresh, context: context, on: tx)
        }
        user.emailVerifiedAt = now
        user.passwordHash = nil
        return .signedIn(user, session, returnTo: returnTo)
    }

    /// The name for a new account: the token's, else Apple's first-authorization `user` form field, else the address.
    static func displayName(claims: IDTokenClaims, appleUser: String?, email: String) -> String {
        var candidates: [String?] = [
            claims.name, [claims.givenName, claims.familyName].compactMap { $0 }.joined(separator: " "),
        ]
        if let appleUser, let data = appleUser.data(using: .utf8),
            let parsed = try? JSONDecoder().decode(AppleUser.self, from: data)
        {
            candidates.append([parsed.name?.firstName, parsed.name?.lastName].compactMap { $0 }.joined(separator: " "))
        }
        for candidate in candidates {
            let trimmed = (candidate ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty, trimmed.count <= 200, !trimmed.contains(where: \.isNewline) { return trimmed }
        }
        return String(email.split(separator: "@").first ?? "Loam user")
    }

    /// Apple's `user` form field, sent only the first time a person authorizes the app.
    private struct AppleUser: Decodable {
        struct Name: Decodable {
            var firstName: String?
            var lastName: String?
        }
        var name: Name?
    }

    // MARK: Linking

    /// Adds the provider identity to `user`: audited, with a mail to the account's address.
    func link(
        _ user: User, provider: OIDCProviderSettings, subject: String, email: String?, existing: ExternalIdentity?,
        context: ClientContext
    ) async throws {
        let userID = try user.requireID()
        if let existing {
            throw existing.$user.id == userID
                ? SignInMethodError.alreadyLinked(name: provider.name)
                : SignInMethodError.alreadyLinkedElsewhere(name: provider.name)
        }
        if try await ExternalIdentity.query(on: db).filter(\.$user.$id == userID).filter(\.$provider == provider.id)
            .first() != nil
        {
            throw SignInMethodError.alreadyLinked(name: provider.name)
        }
        do {
            try await db.writeTransaction { tx in
                try await ExternalIdentity(
                    userID: userID, provider: provider.id, subject: subject, email: email.map(User.normalize(email:)),
                    now: now
                ).create(on: tx)
                try await accounts.audit(user, .signInMethodAdded, context, detail: provider.id, on: tx)
                try await SignInMethodMail.added(provider.name, to: user, accounts: accounts, on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw SignInMethodError.alreadyLinkedElsewhere(name: provider.name)
        }
    }

    /// After `user` signed in another way: links the provider identity waiting under `token`, if it is theirs.
    /// Returns the provider's name when something was linked.
    func completePendingLink(token: String?, for user: User, context: ClientContext) async throws -> String? {
        guard let token, SecureToken.isWellFormed(token) else { return nil }
        let hash = SecureToken.hash(token)
        let pending = try await db.writeTransaction { tx -> PendingLink? in
            guard let pending = try await PendingLink.query(on: tx).filter(\.$tokenHash == hash).first() else {
                return nil
            }
            try await pending.delete(on: tx)
            return pending
        }
        guard let pending, pending.expiresAt > now, pending.$user.id == user.id, user.isVerified,
            let provider = app.oidcProviders.settings.first(where: { $0.id == pending.provider })
        else { return nil }
        let existing = try await ExternalIdentity.query(on: db)
            .filter(\.$provider == provider.id).filter(\.$subject == pending.subject).first()
        try await link(
            user, provider: provider, subject: pending.subject, email: pending.email, existing: existing,
            context: context)
        return provider.name
    }
}

extension Application {
    var oidcSignIn: OIDCSignInService { OIDCSignInService(app: self) }
}
