import Foundation
import LoamKit

/// The mail "Can't sign in?" sends: it fits how the account signs in, so an account without a
/// password is told how it does sign in instead of receiving a reset link it cannot use, and an
/// address without an account is told that (the sender learns nothing either way).
struct RecoveryMail {
    let user: User
    let token: String
    let baseURL: URL
    /// Whether the account has any way to sign in yet (a password or a provider).
    var hasMethods = true

    var link: String { baseURL.appendingPathComponent("reset-password").appendingPathComponent(token).absoluteString }

    func draft() throws -> MailDraft {
        let body: String
        if user.passwordHash != nil {
            body = """
                Hello \(MailText.name(user.name)),

                someone (hopefully you) asked to reset the password of your Loam account. Choose a new password here:

                \(link)

                The link works once and for one hour. Resetting signs you out everywhere.\(user.isVerified ? "" : " It also confirms your address, which removes every other way to sign in that was added before.") If you did not ask, ignore this mail: your password stays as it is.
                """
        } else if !hasMethods || !user.isVerified {
            body = """
                Hello \(MailText.name(user.name)),

                your Loam account is not set up yet. Choose a password here to confirm your address and sign in (the link works once and for one hour):

                \(link)

                Confirming removes every way to sign in that was added before the address was proven. If you did not ask for a Loam account, ignore this mail.
                """
        } else {
            body = """
                Hello \(MailText.name(user.name)),

                your Loam account has no password: it signs in with a provider, from the sign-in page:

                \(baseURL.appendingPathComponent("sign-in").absoluteString)

                If you would rather sign in with a password, set one here (the link works once and for one hour):

                \(link)
                """
        }
        return MailDraft(
            to: [try MailAddress(user.email, name: MailText.headerName(user.name))], subject: "Signing in to Loam",
            body: body,
            category: "recovery")
    }

    /// For an address that has no account: says so, and how to create one.
    static func noAccount(to address: MailAddress, baseURL: URL) -> MailDraft {
        MailDraft(
            to: [address], subject: "Signing in to Loam",
            body: """
                Hello,

                someone (hopefully you) asked how to sign in to Loam with this address, but no Loam account uses it. Perhaps you signed up with another address.

                To create an account with this address:

                \(baseURL.appendingPathComponent("sign-up").absoluteString)

                If you did not ask, ignore this mail.
                """, category: "recovery")
    }
}
