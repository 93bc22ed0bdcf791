import Foundation
import LoamKit

/// The mail "Can't sign in?" sends: it fits how the account signs in, so an account without a
/// password is told how it does sign in instead of receiving a reset link it cannot use.
struct RecoveryMail {
    let user: User
    let token: String
    let baseURL: URL

    var link: String { baseURL.appendingPathComponent("reset-password").appendingPathComponent(token).absoluteString }

    func draft() throws -> MailDraft {
        let body: String
        if user.passwordHash != nil {
            body = """
                Hello \(user.name),

                someone (hopefully you) asked to reset the password of your Loam account. Choose a new password here:

                \(link)

                The link works once and for one hour. Resetting signs you out everywhere. If you did not ask, ignore this mail: your password stays as it is.
                """
        } else {
            body = """
                Hello \(user.name),

                your Loam account has no password: it signs in with a provider, from the sign-in page:

                \(baseURL.appendingPathComponent("sign-in").absoluteString)

                If you would rather sign in with a password, set one here (the link works once and for one hour):

                \(link)
                """
        }
        return MailDraft(
            to: [try MailAddress(user.email, name: user.name)], subject: "Signing in to Loam", body: body, category: "recovery")
    }
}
