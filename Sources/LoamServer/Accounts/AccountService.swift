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

    // MARK: Sign-up

    /// Starts an account: takes the address and name only and mails a link that sets the password and
    /// signs in. No password, session or provider exists before that link is opened.
    ///
    /// Answers the same (nothing) for a new and a taken address, after the same kind of work: a taken
    /// address whose owner proved it gets a mail saying someone tried, with how to sign in or reset; an
    /// account nobody has proven yet gets a fresh link.
    func signUp(email rawEmail: String, name rawName: String, context: ClientContext) async throws {
        let email = User.normalize(email: rawEmail)
        guard (try? MailAddress(email)) != nil else { throw AccountError.invalidEmail }
        let name = try Self.validName(rawName)
        do {
            try await db.writeTransaction { tx in
                try await limitAccountMail(to: email, context: context, on: tx)
                if let existing = try await User.query(on: tx).filter(\.$email == email).first() {
                    if existing.isVerified {
                        try await mailSignUpAttempt(to: existing, on: tx)
                    } else {
                        try await sendVerification(to: existing, on: tx)
                    }
                    return
                }
                let user = User(email: email, name: name, passwordHash: nil)
                try await user.create(on: tx)
                try await audit(user, .accountCreated, context, on: tx)
                try await sendVerification(to: user, on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two sign-ups for one address at once: the other one created the account and sent its link.
            return
        }
    }

    /// An account made by the operator (`loam user create`) or through an invitation: with a password,
    /// and confirmed only when the caller holds a proof of the mailbox (`verified`).
    func createAccount(
        email rawEmail: String, password: String, name rawName: String, verified: Bool, isAdmin: Bool = false,
        context: ClientContext
    ) async throws -> User {
        let email = User.normalize(email: rawEmail)
        guard (try? MailAddress(email)) != nil else { throw AccountError.invalidEmail }
        let name = try Self.validName(rawName)
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

    static func validName(_ rawName: String) throws -> String {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else {
            throw AccountError.invalidName
        }
        return name
    }

    /// Queues the link that proves the mailbox and sets the password, single-use and valid 24 hours.
    func sendVerification(to user: User, on database: any Database) async throws {
        let token = try await issueToken(
            for: user, purpose: .verifyEmail, lifetime: Self.verificationLifetime, on: database)
        let link = configuration.baseURL.appendingPathComponent("verify-email").appendingPathComponent(token)
            .absoluteString
        let hasMethods = try await hasSignInMethods(user, on: database)
        let warning =
            hasMethods
            ? "\n\nConfirming removes every way to sign in to this account that was added before (passwords and providers) and signs out every device: until the address is proven, they may have been set up by someone else. You can add them again afterwards."
            : ""
        try await mail(
            user, subject: "Confirm your address for Loam", category: "verification", on: database,
            body: """
                Hello \(MailText.name(user.name)),

                to confirm that this address is yours and choose your password, open this link:

                \(link)

                The link works once and for 24 hours.\(warning) If you did not ask for a Loam account, ignore this mail: nothing happens without the link.
                """)
    }

    /// A new confirmation mail for a signed-in account whose address is not proven, within the account-mail limit.
    func resendVerification(to user: User, context: ClientContext) async throws {
        guard !user.isVerified else { return }
        try await db.writeTransaction { tx in
            try await limitAccountMail(to: user.email, context: context, user: user, on: tx)
            try await sendVerification(to: user, on: tx)
        }
    }

    /// Someone tried to create an account with an address that already has one: tell its owner.
    private func mailSignUpAttempt(to user: User, on database: any Database) async throws {
        let signIn = configuration.baseURL.appendingPathComponent("sign-in").absoluteString
        let recover = configuration.baseURL.appendingPathComponent("cant-sign-in").absoluteString
        try await mail(
            user, subject: "Someone tried to create a Loam account with your address", category: "sign-up-attempt",
            on: database,
            body: """
                Hello \(MailText.name(user.name)),

                someone asked to create a Loam account with this address, which already has one. Nothing was changed.

                If it was you, sign in here:

                \(signIn)

                If you forgot how you sign in, "Can't sign in?" sends you a mail to get back in:

                \(recover)

                If it was not you, you can ignore this mail.
                """)
    }

    /// The verification link's work: proves the mailbox (which removes every sign-in method and session
    /// from before), sets the password, and signs in.
    func completeVerification(token: String, newPassword: String, context: ClientContext) async throws -> (
        User, SessionToken
    ) {
        let record = try await liveToken(token, purpose: .verifyEmail)
        let user = record.user
        let hash = try await hashIfAcceptable(newPassword, for: user)
        let session = try await db.writeTransaction { tx in
            let claimed = try await consumeToken(token, purpose: .verifyEmail, on: tx)
            guard let user = try await User.find(claimed.$user.id, on: tx), !user.isVerified else {
                throw AccountError.linkInvalid
            }
            try await setPasswordFromMailbox(user, hash: hash, context, on: tx)
            try await audit(user, .signedIn, context, on: tx)
            return try await app.sessionStore.create(for: user, context: context, on: tx)
        }
        user.passwordHash = hash
        user.emailVerifiedAt = now
        return (user, session)
    }

    /// The first proof that the account's owner reads its mailbox. Whatever could sign in before it (a
    /// password, a provider, a session, a provider waiting to be linked) was set up by someone who had not
    /// proven the address, so all of it goes; the address is then confirmed.
    func proveMailbox(_ user: User, _ context: ClientContext, on tx: any Database) async throws {
        guard !user.isVerified else { return }
        let userID = try user.requireID()
        try await ExternalIdentity.query(on: tx).filter(\.$user.$id == userID).delete()
        try await PendingLink.query(on: tx).filter(\.$user.$id == userID).delete()
        try await app.sessionStore.revokeAll(of: user, except: nil, on: tx)
        user.passwordHash = nil
        user.emailVerifiedAt = now
        try await user.save(on: tx)
        try await audit(user, .emailVerified, context, on: tx)
    }

    /// A password chosen from a link that reached the mailbox (confirmation, reset, invitation): proves the
    /// mailbox, and then the password is the way in; every session and every other link of the account ends,
    /// and so does the back-off of its address.
    func setPasswordFromMailbox(_ user: User, hash: String, _ context: ClientContext, on tx: any Database) async throws
    {
        try await proveMailbox(user, context, on: tx)
        user.passwordHash = hash
        try await user.save(on: tx)
        try await app.sessionStore.revokeAll(of: user, except: nil, on: tx)
        try await endLinks(of: user, on: tx)
        try await SignInThrottleStore(clock: app.clock).clear(user.email, on: tx)
    }

    func hasSignInMethods(_ user: User, on database: any Database) async throws -> Bool {
        if user.passwordHash != nil { return true }
        return try await ExternalIdentity.query(on: database).filter(\.$user.$id == (try user.requireID())).first()
            != nil
    }

    // MARK: Sign-in

    /// Checks the throttles, then the password, then a restriction; a right password opens a session.
    func signIn(email rawEmail: String, password: String, context: ClientContext) async throws -> (User, SessionToken) {
        let user = try await checkPassword(email: rawEmail, password: password, context: context)
        if let reason = user.restriction {
            try await audit(user, .signInRefusedRestricted, context, detail: reason.rawValue, on: db)
            throw AccountError.restricted(reason)
        }
        if let phc = user.passwordHash, app.passwordService.needsRehash(phc) {
            user.passwordHash = try await app.passwordService.hash(password)
        }
        let session = try await db.writeTransaction { tx in
            try await user.save(on: tx)
            try await audit(user, .signedIn, context, on: tx)
            return try await app.sessionStore.create(for: user, context: context, on: tx)
        }
        return (user, session)
    }

    /// One check of a password for `email`, counted as a sign-in: the per-address cap of the client and the
    /// back-off of the address tried are each taken atomically before the hash runs, and given back only
    /// when the password is right. Sign-in, a password change and step-up all come through here.
    /// Unknown addresses cost the same hash and meet the same throttles as known ones.
    func checkPassword(email rawEmail: String, password: String, context: ClientContext) async throws -> User {
        let email = User.normalize(email: rawEmail)
        let limiter = app.rateLimiter
        let throttles = SignInThrottleStore(clock: app.clock)
        let addressKey = context.address.map { "sign-in-failures-from:" + $0 }
        let addressLimit = RateLimit(count: configuration.signInFailuresPerAddressPerHour, period: 3600)
        let user = try await User.query(on: db).filter(\.$email == email).first()
        do {
            // Both counts in one transaction: a refusal by the second rolls the first back.
            try await db.writeTransaction { tx in
                if let addressKey, let wait = try await limiter.attempt(addressKey, limits: [addressLimit], on: tx) {
                    throw AccountError.addressThrottled(retryAfter: wait)
                }
                try await throttles.reserve(email, on: tx)
            }
        } catch AccountError.throttled(let wait) {
            if let user { try await audit(user, .signInThrottled, context, on: db) }
            throw AccountError.throttled(retryAfter: wait)
        }
        /// Takes the attempt back from both counts (it was right, or never checked).
        let forgive: @Sendable (_ resetBackOff: Bool) async throws -> Void = { resetBackOff in
            try await db.writeTransaction { tx in
                if resetBackOff {
                    try await throttles.clear(email, on: tx)
                } else {
                    try await throttles.forgive(email, on: tx)
                }
                if let addressKey { try await limiter.giveBack(addressKey, on: tx) }
            }
        }
        let matches: Bool
        do {
            matches = try await app.passwordService.verify(password, against: user?.passwordHash)
        } catch {
            try await forgive(false)  // every hashing slot was busy: the attempt does not count
            throw error
        }
        guard let user, matches else {
            if let user {
                try await db.writeTransaction { tx in try await audit(user, .signInFailed, context, on: tx) }
            }
            throw AccountError.invalidCredentials
        }
        try await forgive(true)
        return user
    }

    /// A signed-in user's current password, checked as a sign-in of their account (throttled and audited).
    func checkCurrentPassword(of user: User, _ password: String, context: ClientContext) async throws {
        do {
            let checked = try await checkPassword(email: user.email, password: password, context: context)
            guard checked.id == user.id else { throw AccountError.reauthenticationRequired }
        } catch AccountError.invalidCredentials {
            throw AccountError.reauthenticationRequired
        }
    }

    // MARK: Passwords and recovery

    /// Changes the password after checking the current one; every other session is signed out.
    func changePassword(
        user: User, currentPassword: String, newPassword: String, keeping session: UserSession?, context: ClientContext
    ) async throws {
        guard user.isVerified else { throw AccountError.emailUnverified }
        try await checkCurrentPassword(of: user, currentPassword, context: context)
        let hash = try await hashIfAcceptable(newPassword, for: user)
        try await db.writeTransaction { tx in
            user.passwordHash = hash
            try await user.save(on: tx)
            try await endLinks(of: user, on: tx)
            try await app.sessionStore.revokeAll(of: user, except: session?.id, on: tx)
            if let session {
                session.authenticatedAt = now
                try await session.save(on: tx)
            }
            try await audit(user, .passwordChanged, context, on: tx)
        }
    }

    /// Sends the recovery mail that fits the address: a reset link, how the account signs in, or, for an
    /// address without an account, a mail saying so. The same work, answer and throttle either way, so
    /// neither the answer nor its timing tells whether the address has an account.
    func requestRecovery(email rawEmail: String, context: ClientContext) async throws {
        let email = User.normalize(email: rawEmail)
        guard let address = try? MailAddress(email) else { return }
        try await db.writeTransaction { tx in
            try await limitAccountMail(to: email, context: context, on: tx)
            guard let user = try await User.query(on: tx).filter(\.$email == email).first() else {
                try await app.mailer.enqueue(
                    RecoveryMail.noAccount(to: address, baseURL: configuration.baseURL), on: tx)
                return
            }
            try await audit(user, .recoveryRequested, context, on: tx)
            let token = try await issueToken(for: user, purpose: .resetPassword, lifetime: Self.resetLifetime, on: tx)
            let hasMethods = try await hasSignInMethods(user, on: tx)
            try await app.mailer.enqueue(
                RecoveryMail(user: user, token: token, baseURL: configuration.baseURL, hasMethods: hasMethods).draft(),
                on: tx)
        }
    }

    /// Sets a new password from a reset link: proves the mailbox (on an unconfirmed account that removes
    /// every sign-in method from before), clears the throttle, signs out every session and ends every
    /// other outstanding link.
    func resetPassword(token: String, newPassword: String, context: ClientContext) async throws -> User {
        let record = try await liveToken(token, purpose: .resetPassword)
        let user = record.user
        let hash = try await hashIfAcceptable(newPassword, for: user)
        return try await db.writeTransaction { tx in
            let claimed = try await consumeToken(token, purpose: .resetPassword, on: tx)
            guard let user = try await User.find(claimed.$user.id, on: tx) else { throw AccountError.linkInvalid }
            try await setPasswordFromMailbox(user, hash: hash, context, on: tx)
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
            try await app.sessionStore.revokeAll(of: user, except: nil, on: tx)
            try await audit(user, .restricted, context, detail: reason.rawValue, on: tx)
            try await mail(
                user, subject: "Your Loam account is restricted", category: "restriction", on: tx,
                body: """
                    Hello \(MailText.name(user.name)),

                    your Loam account has been restricted because of \(reason.title). You cannot sign in until the restriction is lifted.

                    How to get access back: \(reason.howToRecover)
                    """)
        }
    }

    func unrestrict(_ user: User, context: ClientContext) async throws {
        try await db.writeTransaction { tx in
            user.restrictionReason = nil
            user.restrictedAt = nil
            try await user.save(on: tx)
            try await SignInThrottleStore(clock: app.clock).clear(user.email, on: tx)
            try await audit(user, .unrestricted, context, on: tx)
        }
    }

    // MARK: Tokens and audit

    func issueToken(
        for user: User, purpose: AccountToken.Purpose, lifetime: TimeInterval, email: String? = nil,
        on database: any Database
    ) async throws -> String {
        let (token, hash) = SecureToken.generate()
        try await AccountToken(
            userID: try user.requireID(), purpose: purpose, tokenHash: hash,
            expiresAt: now.addingTimeInterval(lifetime), email: email
        ).create(on: database)
        return token
    }

    /// A link's record while it is unused and unexpired, without using it up (to check a new password first).
    func liveToken(_ token: String, purpose: AccountToken.Purpose) async throws -> AccountToken {
        guard SecureToken.isWellFormed(token),
            let record = try await AccountToken.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
                .filter(\.$purpose == purpose).with(\.$user).first(),
            record.usedAt == nil, record.expiresAt > now
        else { throw AccountError.linkInvalid }
        return record
    }

    /// Ends every outstanding link of `user` but the undo link an address change sent to the old address:
    /// after a new password, a reset or a new address, a link mailed earlier must not work any more.
    func endLinks(of user: User, on database: any Database) async throws {
        try await database.sql().raw(
            """
            UPDATE account_tokens SET used_at = \(bind: now) WHERE user_id = \(bind: try user.requireID()) AND used_at IS NULL \
            AND purpose <> \(bind: AccountToken.Purpose.undoEmailChange.rawValue)
            """
        ).run()
    }

    /// The one limit on account mails anyone can cause (sign-up, confirmation, recovery, address change):
    /// at most 1 a minute and 5 an hour to one address, and 30 an hour from one client address or user.
    func limitAccountMail(to recipient: String, context: ClientContext, user: User? = nil, on tx: any Database)
        async throws
    {
        let limiter = app.rateLimiter
        try await limiter.take(
            "account-mail-to:" + User.digest(ofEmail: recipient, purpose: "account-mail"),
            limits: [RateLimit(count: 1, period: 60), RateLimit(count: 5, period: 3600)], on: tx)
        if let userID = user?.id {
            try await limiter.take(
                "account-mail-by-user:\(userID)", limits: [RateLimit(count: 30, period: 3600)], on: tx)
        } else if let address = context.address {
            try await limiter.take(
                "account-mail-by-address:" + address, limits: [RateLimit(count: 30, period: 3600)], on: tx)
        }
    }

    /// Marks a token used, atomically: of two concurrent uses exactly one succeeds.
    func consumeToken(_ token: String, purpose: AccountToken.Purpose, on database: any Database) async throws
        -> AccountToken
    {
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
        _ user: User, at address: String? = nil, subject: String, category: String, on database: any Database,
        body: String
    ) async throws {
        try await app.mailer.enqueue(
            MailDraft(
                to: [try MailAddress(address ?? user.email, name: MailText.headerName(user.name))], subject: subject,
                body: body,
                category: category),
            on: database)
    }

    func audit(
        _ user: User, _ kind: AuditKind, _ context: ClientContext, detail: String? = nil, on database: any Database
    )
        async throws
    {
        try await AuditEvent(
            userID: try user.requireID(), kind: kind, clientAddress: context.address, device: context.device,
            detail: detail
        )
        .create(on: database)
    }
}

extension Application {
    var accounts: AccountService { AccountService(app: self) }
}
