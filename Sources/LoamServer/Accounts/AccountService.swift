import Fluent
import Foundation
import LoamKit
import SQLKit
import Vapor

/// The account rules, shared by the JSON API, the web pages and the command line.
struct AccountService: Sendable {
    let app: Application

    var db: any Database { app.db }
    var now: Date { app.clock.now() }
    var configuration: LoamConfiguration { app.loamConfiguration }

    static let verificationLifetime: TimeInterval = 24 * 3600
    static let resetLifetime: TimeInterval = 3600
    static let recoveryMailInterval: TimeInterval = 60

    // MARK: Sign-up

    /// Creates an account and signs it in; sends the verification mail unless `verified`.
    func signUp(
        email rawEmail: String, password: String, name rawName: String, verified: Bool = false, isAdmin: Bool = false,
        context: ClientContext
    ) async throws -> User {
        let email = User.normalize(email: rawEmail)
        guard (try? MailAddress(email)) != nil else { throw AccountError.invalidEmail }
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else { throw AccountError.invalidName }
        if let problem = app.passwordPolicy.problem(with: password, email: email, name: name) {
            throw AccountError.weakPassword(problem)
        }
        if try await User.query(on: db).filter(\.$email == email).first() != nil { throw AccountError.emailTaken }
        let hash = try await app.passwordService.hash(password)
        let user = User(email: email, name: name, passwordHash: hash)
        user.isAdmin = isAdmin
        if verified { user.emailVerifiedAt = now }
        do {
            try await db.writeTransaction { tx in
                try await user.create(on: tx)
                try await audit(user, .accountCreated, context, on: tx)
                if !verified { try await sendVerification(to: user, on: tx) }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AccountError.emailTaken
        }
        return user
    }

    /// Queues a verification mail with a fresh single-use link valid 24 hours.
    func sendVerification(to user: User, on database: any Database) async throws {
        let token = try await issueToken(for: user, purpose: .verifyEmail, lifetime: Self.verificationLifetime, on: database)
        let link = configuration.baseURL.appendingPathComponent("verify-email").appendingPathComponent(token).absoluteString
        try await mail(user, subject: "Confirm your address for Loam", category: "verification", on: database,
            body: """
                    Hello \(user.name),

                    please confirm that this is your address by opening this link:

                    \(link)

                    The link works once and for 24 hours. If you did not create a Loam account, ignore this mail.
                    """)
    }

    /// Marks the address verified when `token` is a live verification link.
    func verifyEmail(token: String, context: ClientContext) async throws -> User {
        try await db.writeTransaction { tx in
            let record = try await consumeToken(token, purpose: .verifyEmail, on: tx)
            let user = try await record.$user.get(on: tx)
            if user.emailVerifiedAt == nil {
                user.emailVerifiedAt = now
                try await user.save(on: tx)
                try await audit(user, .emailVerified, context, on: tx)
            }
            return user
        }
    }

    // MARK: Sign-in

    /// Checks the throttles first (before the expensive hash), then the password, then a restriction.
    func signIn(email rawEmail: String, password: String, context: ClientContext) async throws -> (User, SessionToken) {
        let email = User.normalize(email: rawEmail)
        try await checkAddressThrottle(context)
        let user = try await User.query(on: db).filter(\.$email == email).first()
        if let user, let wait = SignInThrottle().retryAfter(
            consecutiveFailures: user.failedSignIns, lastFailureAt: user.lastFailedSignInAt, now: now)
        {
            try await audit(user, .signInThrottled, context, on: db)
            throw AccountError.throttled(retryAfter: wait)
        }
        let matches = try await app.passwordService.verify(password, against: user?.passwordHash)
        guard let user, matches else {
            try await recordFailure(user, context)
            throw AccountError.invalidCredentials
        }
        if let reason = user.restriction {
            try await audit(user, .signInRefusedRestricted, context, detail: reason.rawValue, on: db)
            throw AccountError.restricted(reason)
        }
        if let phc = user.passwordHash, app.passwordService.needsRehash(phc) {
            user.passwordHash = try await app.passwordService.hash(password)
        }
        user.failedSignIns = 0
        user.lastFailedSignInAt = nil
        let session = try await db.writeTransaction { tx in
            try await user.save(on: tx)
            try await audit(user, .signedIn, context, on: tx)
            return try await SessionStore(app: app).create(for: user, context: context, on: tx)
        }
        return (user, session)
    }

    private func checkAddressThrottle(_ context: ClientContext) async throws {
        guard let address = context.address else { return }
        let since = now.addingTimeInterval(-3600)
        let failures = try await SignInFailure.query(on: db)
            .filter(\.$clientAddress == address).filter(\.$failedAt >= since).count()
        if failures >= configuration.signInFailuresPerAddressPerHour {
            throw AccountError.addressThrottled(retryAfter: 600)
        }
    }

    private func recordFailure(_ user: User?, _ context: ClientContext) async throws {
        try await db.writeTransaction { tx in
            if let address = context.address {
                try await SignInFailure(clientAddress: address, failedAt: now).create(on: tx)
            }
            if let user {
                user.failedSignIns += 1
                user.lastFailedSignInAt = now
                try await user.save(on: tx)
                try await audit(user, .signInFailed, context, on: tx)
            }
        }
    }

    // MARK: Passwords and recovery

    /// Changes the password after checking the current one; every other session is signed out.
    func changePassword(
        user: User, currentPassword: String, newPassword: String, keeping session: UserSession?, context: ClientContext
    ) async throws {
        guard try await app.passwordService.verify(currentPassword, against: user.passwordHash) else {
            throw AccountError.reauthenticationRequired
        }
        let hash = try await hashIfAcceptable(newPassword, for: user)
        try await db.writeTransaction { tx in
            user.passwordHash = hash
            try await user.save(on: tx)
            try await SessionStore(app: app).revokeAll(of: user, except: session?.id, on: tx)
            if let session {
                session.authenticatedAt = now
                try await session.save(on: tx)
            }
            try await audit(user, .passwordChanged, context, on: tx)
        }
    }

    /// Sends the recovery mail that fits the account: a reset link, or how it signs in. Says nothing
    /// to the caller either way, and sends nothing for an unknown address.
    func requestRecovery(email rawEmail: String, context: ClientContext) async throws {
        let email = User.normalize(email: rawEmail)
        guard (try? MailAddress(email)) != nil, let user = try await User.query(on: db).filter(\.$email == email).first() else {
            // The same cost as a real request, so timing does not tell whether the account exists.
            _ = try await app.passwordService.verify("decoy", against: nil)
            return
        }
        if let last = user.lastRecoveryMailAt, now.timeIntervalSince(last) < Self.recoveryMailInterval { return }
        try await db.writeTransaction { tx in
            user.lastRecoveryMailAt = now
            try await user.save(on: tx)
            try await audit(user, .recoveryRequested, context, on: tx)
            let token = try await issueToken(for: user, purpose: .resetPassword, lifetime: Self.resetLifetime, on: tx)
            try await app.mailer.enqueue(RecoveryMail(user: user, token: token, baseURL: configuration.baseURL).draft(), on: tx)
        }
    }

    /// Sets a new password from a reset link: proves the mailbox, so it also verifies the address,
    /// clears the throttle and signs out every session.
    func resetPassword(token: String, newPassword: String, context: ClientContext) async throws -> User {
        let record = try await AccountToken.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
            .filter(\.$purpose == .resetPassword).with(\.$user).first()
        guard let record, record.usedAt == nil, record.expiresAt > now else { throw AccountError.linkInvalid }
        let user = record.user
        let hash = try await hashIfAcceptable(newPassword, for: user)
        return try await db.writeTransaction { tx in
            _ = try await consumeToken(token, purpose: .resetPassword, on: tx)
            user.passwordHash = hash
            user.failedSignIns = 0
            user.lastFailedSignInAt = nil
            if user.emailVerifiedAt == nil { user.emailVerifiedAt = now }
            try await user.save(on: tx)
            try await SessionStore(app: app).revokeAll(of: user, except: nil, on: tx)
            try await audit(user, .passwordReset, context, on: tx)
            return user
        }
    }

    /// The hash of `newPassword` for `user`, after the policy (length, common passwords, not the address or name).
    func hashIfAcceptable(_ newPassword: String, for user: User) async throws -> String {
        if let problem = app.passwordPolicy.problem(with: newPassword, email: user.email, name: user.name) {
            throw AccountError.weakPassword(problem)
        }
        return try await app.passwordService.hash(newPassword)
    }

    // MARK: Restriction

    func restrict(_ user: User, reason: RestrictionReason, context: ClientContext) async throws {
        try await db.writeTransaction { tx in
            user.restrictionReason = reason.rawValue
            user.restrictedAt = now
            try await user.save(on: tx)
            try await SessionStore(app: app).revokeAll(of: user, except: nil, on: tx)
            try await audit(user, .restricted, context, detail: reason.rawValue, on: tx)
            try await mail(user, subject: "Your Loam account is restricted", category: "restriction", on: tx,
                body: """
                        Hello \(user.name),

                        your Loam account has been restricted because of \(reason.title). You cannot sign in until the restriction is lifted.

                        How to get access back: \(reason.howToRecover)
                        """)
        }
    }

    func unrestrict(_ user: User, context: ClientContext) async throws {
        try await db.writeTransaction { tx in
            user.restrictionReason = nil
            user.restrictedAt = nil
            user.failedSignIns = 0
            user.lastFailedSignInAt = nil
            try await user.save(on: tx)
            try await audit(user, .unrestricted, context, on: tx)
        }
    }

    // MARK: Tokens and audit

    func issueToken(
        for user: User, purpose: AccountToken.Purpose, lifetime: TimeInterval, email: String? = nil, on database: any Database
    ) async throws -> String {
        let (token, hash) = SecureToken.generate()
        try await AccountToken(
            userID: try user.requireID(), purpose: purpose, tokenHash: hash, expiresAt: now.addingTimeInterval(lifetime), email: email
        ).create(on: database)
        return token
    }

    /// Marks a token used, atomically: of two concurrent uses exactly one succeeds.
    func consumeToken(_ token: String, purpose: AccountToken.Purpose, on database: any Database) async throws -> AccountToken {
        guard SecureToken.isWellFormed(token),
            let record = try await AccountToken.query(on: database).filter(\.$tokenHash == SecureToken.hash(token))
                .filter(\.$purpose == purpose).first(),
            record.usedAt == nil, record.expiresAt > now
        else { throw AccountError.linkInvalid }
        let sql = try database.sql()
        let claimed = try await sql.raw(
            "UPDATE account_tokens SET used_at = \(bind: now) WHERE id = \(bind: try record.requireID()) AND used_at IS NULL RETURNING id"
        ).all()
        guard !claimed.isEmpty else { throw AccountError.linkInvalid }
        return record
    }

    /// Queues a plain-text mail to the user, at their address or at `address` (an address change).
    func mail(
        _ user: User, at address: String? = nil, subject: String, category: String, on database: any Database, body: String
    ) async throws {
        try await app.mailer.enqueue(
            MailDraft(to: [try MailAddress(address ?? user.email, name: user.name)], subject: subject, body: body, category: category),
            on: database)
    }

    func audit(_ user: User, _ kind: AuditKind, _ context: ClientContext, detail: String? = nil, on database: any Database)
        async throws
    {
        try await AuditEvent(userID: try user.requireID(), kind: kind, clientAddress: context.address, device: context.device, detail: detail)
            .create(on: database)
    }
}

extension Application {
    var accounts: AccountService { AccountService(app: self) }
}
