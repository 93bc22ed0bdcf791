import LoamKit
import Vapor

/// What can go wrong with accounts and sessions, as the client is told.
enum AccountError: LoamError {
    case unauthorized
    case invalidCredentials
    case throttled(retryAfter: TimeInterval)
    case addressThrottled(retryAfter: TimeInterval)
    case restricted(RestrictionReason)
    case emailTaken
    case invalidEmail
    case invalidName
    case invalidSetting(String)
    case weakPassword(PasswordProblem)
    case linkInvalid
    case reauthenticationRequired
    case emailUnverified
    /// Every password-hashing slot is taken (`PasswordHashing`): try again in a moment. Never a 500.
    case hashingBusy

    var status: HTTPResponseStatus {
        switch self {
        case .unauthorized, .invalidCredentials: .unauthorized
        case .throttled, .addressThrottled: .tooManyRequests
        case .restricted, .reauthenticationRequired, .emailUnverified: .forbidden
        case .emailTaken: .conflict
        case .invalidEmail, .invalidName, .invalidSetting, .weakPassword: .unprocessableEntity
        case .linkInvalid: .gone
        case .hashingBusy: .serviceUnavailable
        }
    }

    var problemType: ProblemType {
        switch self {
        case .unauthorized: .unauthorized
        case .invalidCredentials: .invalidCredentials
        case .throttled, .addressThrottled: .tooManyRequests
        case .restricted: .accountRestricted
        case .emailTaken: .emailTaken
        case .invalidEmail, .invalidName, .invalidSetting: .validation
        case .weakPassword: .weakPassword
        case .linkInvalid: .linkInvalid
        case .reauthenticationRequired: .reauthenticationRequired
        case .emailUnverified: .emailUnverified
        case .hashingBusy: .serviceUnavailable
        }
    }

    var detail: String {
        switch self {
        case .unauthorized: "Sign in first."
        case .invalidCredentials:
            "That address and password do not match an account. Check both, or use \"Can't sign in?\"."
        case .throttled(let seconds):
            "Too many failed attempts for this account. Wait \(Int(seconds.rounded(.up))) seconds and try again, or reset your password from \"Can't sign in?\"."
        case .addressThrottled: "Too many failed sign-ins from your network. Wait a while and try again."
        case .restricted(let reason):
            "This account is restricted because of \(reason.title). \(reason.howToRecover)"
        case .emailTaken:
            "An account with this address already exists. Sign in, or use \"Can't sign in?\" to recover it."
        case .invalidEmail: "Enter a valid mail address."
        case .invalidName: "Enter your name (at most 200 characters)."
        case .invalidSetting(let field):
            field == "time_zone"
                ? "time_zone must be an IANA time zone such as Europe/Berlin."
                : "phone_region must be a two-letter country code such as DE."
        case .weakPassword(let problem): problem.message
        case .linkInvalid: "This link has expired or has already been used. Ask for a new one."
        case .reauthenticationRequired: "Enter your current password to confirm this change."
        case .emailUnverified: "Confirm your address first: open the link in the mail we sent you."
        case .hashingBusy: "Loam is checking many passwords right now. Try again in a few seconds."
        }
    }

    var headers: HTTPHeaders {
        switch self {
        case .throttled(let seconds), .addressThrottled(let seconds):
            ["Retry-After": String(Int(seconds.rounded(.up)))]
        case .hashingBusy: ["Retry-After": "2"]
        default: [:]
        }
    }
}

extension ProblemType {
    static let invalidCredentials = ProblemType(
        slug: "invalid-credentials", title: "Wrong address or password",
        explanation:
            "The address and password do not match an account. Failed attempts are slowed down, never locked: after five in a row each further attempt must wait a little longer. \"Can't sign in?\" resets your password."
    )
    static let accountRestricted = ProblemType(
        slug: "account-restricted", title: "Account restricted",
        explanation:
            "An operator restricted this account. The message says why and how to get access back; we also sent it to the account's mailbox."
    )
    static let emailTaken = ProblemType(
        slug: "email-taken", title: "Address already in use",
        explanation: "An account with this address exists. Sign in, or recover it from \"Can't sign in?\".")
    static let weakPassword = ProblemType(
        slug: "weak-password", title: "Password not accepted",
        explanation:
            "Passwords must have 8 to 128 characters and must not be on the list of commonly used passwords, nor be your address or name."
    )
    static let linkInvalid = ProblemType(
        slug: "link-invalid", title: "Link expired or used",
        explanation:
            "Links in Loam's mails work once and for a limited time (a day to confirm an address, an hour to reset a password). Ask for a new one."
    )
    static let reauthenticationRequired = ProblemType(
        slug: "reauthentication-required", title: "Confirm it is you",
        explanation:
            "Changing your password, address or sign-in methods, or exporting or deleting your account, needs your current password when you last signed in more than 15 minutes ago. API clients send it as current_password."
    )
    static let emailUnverified = ProblemType(
        slug: "email-unverified", title: "Address not confirmed",
        explanation:
            "Confirm your address by opening the link in the mail Loam sent you; you can ask for a new mail from your account page."
    )

    /// What the Accounts feature adds to `/problems/`.
    static let accountTypes = [
        invalidCredentials, accountRestricted, emailTaken, weakPassword, linkInvalid, reauthenticationRequired,
        emailUnverified,
    ]
}
