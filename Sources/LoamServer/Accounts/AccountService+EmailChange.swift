import Fluent
import Foundation
import LoamKit
import Vapor

/// Changing the address: proven at the new address first, then the old address is told and can undo it.
extension AccountService {
    static let emailChangeLifetime: TimeInterval = 24 * 3600
    static let undoLifetime: TimeInterval = 7 * 24 * 3600

    /// Mails a confirmation link to `newEmail`; nothing changes until it is opened. A taken address is
    /// answered like any other (nothing tells the caller it is taken): its owner gets a mail saying
    /// someone tried to move an account there, and no link.
    func requestEmailChange(user: User, newEmail rawEmail: String, context: ClientContext) async throws {
        guard user.isVerified else { throw AccountError.emailUnverified }
        let newEmail = User.normalize(email: rawEmail)
        guard (try? MailAddress(newEmail)) != nil else { throw AccountError.invalidEmail }
        guard newEmail != user.email else { return }
        try await db.writeTransaction { tx in
            try await limitAccountMail(to: newEmail, context: context, user: user, on: tx)
            try await audit(user, .emailChangeRequested, context, on: tx)
            if let owner = try await User.query(on: tx).filter(\.$email == newEmail).first() {
                try await mail(
                    owner, subject: "Someone tried to move a Loam account to your address",
                    category: "email-change-attempt",
                    on: tx,
                    body: """
                        Hello \(MailText.name(owner.name)),

                        someone asked to move another Loam account to this address, which already has an account: yours. Nothing was changed, and your account is as it was.

                        If you did not expect this, you can ignore this mail.
                        """)
                return
            }
            let token = try await issueToken(
                for: user, purpose: .changeEmail, lifetime: Self.emailChangeLifetime, email: newEmail, on: tx)
            let link = configuration.baseURL.appendingPathComponent("confirm-email").appendingPathComponent(token)
                .absoluteString
            try await mail(
                user, at: newEmail, subject: "Confirm your new address for Loam", category: "email-change", on: tx,
                body: """
                    Hello \(MailText.name(user.name)),

                    to move your Loam account to this address, open this link:

                    \(link)

                    The link works once and for 24 hours. If you did not ask for this, ignore this mail.
                    """)
        }
    }

    /// Moves the account to the proven address and tells the old one, with a link to undo.
    func confirmEmailChange(token: String, context: ClientContext) async throws -> User {
        try await db.writeTransaction { tx in
            let record = try await consumeToken(token, purpose: .changeEmail, on: tx)
            let user = try await record.$user.get(on: tx)
            guard let newEmail = record.email else { throw AccountError.linkInvalid }
            if try await User.query(on: tx).filter(\.$email == newEmail).first() != nil {
                throw AccountError.emailTaken
            }
            let oldEmail = user.email
            user.email = newEmail
            user.emailVerifiedAt = now
            try await user.save(on: tx)
            try await endLinks(of: user, on: tx)
            let undo = try await issueToken(
                for: user, purpose: .undoEmailChange, lifetime: Self.undoLifetime, email: oldEmail, on: tx)
            let link = configuration.baseURL.appendingPathComponent("undo-email-change").appendingPathComponent(undo)
                .absoluteString
            try await mail(
                user, at: oldEmail, subject: "Your Loam account moved to another address",
                category: "email-change-notice", on: tx,
                body: """
                    Hello \(MailText.name(user.name)),

                    your Loam account now uses another address. If you did this, there is nothing to do.

                    If you did not, move the account back to this address (the link works for 7 days) and then reset your password:

                    \(link)
                    """)
            try await audit(user, .emailChanged, context, on: tx)
            return user
        }
    }

    /// Moves the account back to the old address and signs out every session: whoever changed it is out.
    func undoEmailChange(token: String, context: ClientContext) async throws -> User {
        try await db.writeTransaction { tx in
            let record = try await consumeToken(token, purpose: .undoEmailChange, on: tx)
            let user = try await record.$user.get(on: tx)
            guard let oldEmail = record.email else { throw AccountError.linkInvalid }
            if user.email != oldEmail {
                if try await User.query(on: tx).filter(\.$email == oldEmail).first() != nil {
                    throw AccountError.emailTaken
                }
                user.email = oldEmail
                user.emailVerifiedAt = now
                try await user.save(on: tx)
            }
            try await endLinks(of: user, on: tx)
            try await app.sessionStore.revokeAll(of: user, except: nil, on: tx)
            try await audit(user, .emailChangeUndone, context, on: tx)
            return user
        }
    }

    /// Name, time zone and default phone region.
    func updateSettings(user: User, name: String?, timeZone: String?, phoneRegion: String?, context: ClientContext)
        async throws
    {
        if let name {
            user.name = try Self.validName(name)
        }
        if let timeZone {
            guard TimeZone(identifier: timeZone) != nil else { throw AccountError.invalidSetting("time_zone") }
            user.timeZone = timeZone
        }
        if let phoneRegion {
            let region = phoneRegion.uppercased()
            guard region.count == 2, region.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw AccountError.invalidSetting("phone_region")
            }
            user.phoneRegion = region
        }
        try await db.writeTransaction { tx in
            try await user.save(on: tx)
            try await audit(user, .settingsChanged, context, on: tx)
        }
    }
}
