import Vapor

/// What can go wrong with provider sign-in and sign-in methods, as the client is told.
enum SignInMethodError: LoamError, Equatable {
    case unknownProvider
    /// The provider is away or answered nonsense: not the person's fault, not "invalid credentials".
    case providerUnavailable(name: String)
    /// The provider refused, or its answer failed a check.
    case providerRefused(name: String)
    /// The person said no at the provider.
    case cancelled(name: String)
    /// The state is unknown, used, expired, or belongs to another browser.
    case flowExpired
    case noEmail(name: String)
    /// A verified provider address matches an account that has not linked the provider yet.
    case linkRequired(name: String)
    /// The provider's address is unverified and an account already has it: nothing links.
    case unverifiedEmailTaken(name: String)
    case alreadyLinkedElsewhere(name: String)
    case alreadyLinked(name: String)
    case notLinked
    case lastMethod
    case passwordAlreadySet
    case reauthenticationMismatch(name: String)

    var status: HTTPResponseStatus {
        switch self {
        case .unknownProvider, .notLinked: .notFound
        case .providerUnavailable: .serviceUnavailable
        case .providerRefused, .cancelled, .noEmail, .reauthenticationMismatch: .unauthorized
        case .flowExpired: .gone
        case .linkRequired, .unverifiedEmailTaken, .alreadyLinkedElsewhere, .alreadyLinked, .lastMethod,
            .passwordAlreadySet:
            .conflict
        }
    }

    var problemType: ProblemType {
        switch self {
        case .unknownProvider, .notLinked: .notFound
        case .providerUnavailable: .providerUnavailable
        case .providerRefused, .cancelled, .noEmail, .reauthenticationMismatch: .providerSignInFailed
        case .flowExpired: .signInExpired
        case .linkRequired, .unverifiedEmailTaken: .signInLinkRequired
        case .alreadyLinkedElsewhere, .alreadyLinked, .passwordAlreadySet: .conflict
        case .lastMethod: .lastSignInMethod
        }
    }

    var detail: String {
        switch self {
        case .unknownProvider: "No such sign-in provider is configured on this server."
        case .providerUnavailable(let name):
            "\(name) sign-in is unavailable right now. Try again in a few minutes, or sign in another way."
        case .providerRefused(let name): "\(name) did not confirm who you are, so you are not signed in. Try again."
        case .cancelled(let name): "You cancelled signing in with \(name)."
        case .flowExpired: "This sign-in took too long or was already used. Start again."
        case .noEmail(let name):
            "\(name) did not share an address with Loam, which every account needs. Allow it and try again."
        case .linkRequired(let name):
            "An account with this address already exists. Sign in to it another way once, and \(name) is linked to it from then on."
        case .unverifiedEmailTaken(let name):
            "\(name) has not confirmed this address, and a Loam account already uses it. Sign in to that account and add \(name) from Sign-in methods."
        case .alreadyLinkedElsewhere(let name): "This \(name) account already signs in to another Loam account."
        case .alreadyLinked(let name): "\(name) is already one of your sign-in methods."
        case .notLinked: "That is not one of your sign-in methods."
        case .lastMethod: "This is your only way to sign in. Add another method before removing it."
        case .passwordAlreadySet: "Your account already has a password; change it from your account page."
        case .reauthenticationMismatch(let name):
            "That \(name) account is not linked to the account you are signed in to."
        }
    }
}

extension ProblemType {
    static let providerUnavailable = ProblemType(
        slug: "provider-unavailable", title: "Sign-in provider unavailable",
        explanation:
            "Loam could not reach the sign-in provider, or the provider answered in a way Loam cannot trust. Nothing is wrong with your account; try again later or sign in another way."
    )
    static let providerSignInFailed = ProblemType(
        slug: "provider-sign-in-failed", title: "Provider sign-in did not complete",
        explanation:
            "The provider did not confirm who you are (you cancelled, or its answer failed one of Loam's checks). Nothing was created or changed."
    )
    static let signInExpired = ProblemType(
        slug: "sign-in-expired", title: "Sign-in expired",
        explanation:
            "A sign-in with a provider must finish within 10 minutes in the browser that started it, and each one works once. Start again."
    )
    static let signInLinkRequired = ProblemType(
        slug: "sign-in-link-required", title: "Sign in another way first",
        explanation:
            "An account already uses this address. Loam never joins a provider to an account by address alone: sign in to the account once another way and the provider is linked."
    )
    static let lastSignInMethod = ProblemType(
        slug: "last-sign-in-method", title: "Only sign-in method",
        explanation:
            "An account keeps at least one way to sign in. Add a password or another provider before removing this one."
    )

    /// What the SignInMethods feature adds to `/problems/`.
    static let signInMethodTypes = [
        providerUnavailable, providerSignInFailed, signInExpired, signInLinkRequired, lastSignInMethod,
    ]
}
