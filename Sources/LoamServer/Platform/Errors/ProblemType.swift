import Vapor

/// A kind of error a client can meet, named by a relative URI `/problems/<slug>` that serves a page explaining it.
///
/// Features add their own (`email-unverified`, `invitation-expired`, …) as static members.
public struct ProblemType: Sendable, Hashable {
    public let slug: String
    public let title: String
    /// What it means and what to do about it, shown on `/problems/<slug>`.
    public let explanation: String

    public init(slug: String, title: String, explanation: String) {
        self.slug = slug
        self.title = title
        self.explanation = explanation
    }

    public var uri: String { "/problems/\(slug)" }
}

extension ProblemType {
    public static let badRequest = ProblemType(
        slug: "bad-request", title: "Bad request",
        explanation: "The request could not be understood: a parameter or the body is malformed. Nothing was changed.")
    public static let unauthorized = ProblemType(
        slug: "unauthorized", title: "Sign-in required",
        explanation: "This needs a signed-in session or a valid API token. Sign in and try again.")
    public static let forbidden = ProblemType(
        slug: "forbidden", title: "Not allowed",
        explanation: "Your account is signed in but may not do this. Nothing was changed.")
    public static let notFound = ProblemType(
        slug: "not-found", title: "Not found",
        explanation: "There is nothing at this address, or it is not yours to see. Check the link you followed.")
    public static let methodNotAllowed = ProblemType(
        slug: "method-not-allowed", title: "Method not allowed",
        explanation: "This address exists but does not accept that HTTP method.")
    public static let conflict = ProblemType(
        slug: "conflict", title: "Conflict",
        explanation:
            "The request conflicts with the current state, for example a value that must be unique. Nothing was changed."
    )
    public static let payloadTooLarge = ProblemType(
        slug: "payload-too-large", title: "Request too large",
        explanation: "The request body is larger than this endpoint accepts.")
    public static let unsupportedMediaType = ProblemType(
        slug: "unsupported-media-type", title: "Unsupported media type",
        explanation:
            "The body is in a format this endpoint does not read. Send JSON with Content-Type: application/json.")
    public static let validation = ProblemType(
        slug: "validation", title: "Invalid input",
        explanation:
            "A field is missing or has a value that is not allowed. The response says which. Nothing was changed.")
    public static let tooManyRequests = ProblemType(
        slug: "too-many-requests", title: "Too many requests",
        explanation: "Too many attempts in a short time. Wait for the time given in Retry-After and try again.")
    public static let serviceUnavailable = ProblemType(
        slug: "service-unavailable", title: "Service unavailable",
        explanation:
            "Loam cannot reach a part it needs, such as its database. This is not a problem with your account; try again shortly."
    )
    public static let csrf = ProblemType(
        slug: "csrf", title: "Form not accepted",
        explanation:
            "The form was not sent from a page of this Loam server, or it is too old. Reload the page and send it again."
    )
    public static let internalError = ProblemType(
        slug: "internal-error", title: "Something went wrong",
        explanation:
            "An unexpected error happened on the server. It has been logged with the request id shown; quote it when you ask for help."
    )

    /// The problem types Platform itself answers with; features add theirs (`LoamFeature.problemTypes`).
    static let platformTypes: [ProblemType] = [
        badRequest, unauthorized, forbidden, notFound, methodNotAllowed, conflict, payloadTooLarge,
        unsupportedMediaType,
        validation, tooManyRequests, serviceUnavailable, csrf, internalError,
    ]

    /// The generic type for an HTTP status, for errors that carry no type of their own.
    static func forStatus(_ status: HTTPResponseStatus) -> ProblemType {
        switch status.code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 413: .payloadTooLarge
        case 415: .unsupportedMediaType
        case 422: .validation
        case 429: .tooManyRequests
        case 503: .serviceUnavailable
        case 400..<500: .badRequest
        default: .internalError
        }
    }
}

/// Every problem type that has a page under `/problems/`: Platform's and the features', gathered at configure time.
struct ProblemTypes: Sendable {
    private var bySlug: [String: ProblemType] = [:]

    init(_ types: [ProblemType] = ProblemType.platformTypes) {
        register(types)
    }

    mutating func register(_ types: [ProblemType]) {
        for type in types { bySlug[type.slug] = type }
    }

    func named(_ slug: String) -> ProblemType? { bySlug[slug] }

    var all: [ProblemType] { bySlug.values.sorted { $0.slug < $1.slug } }
}

extension Application {
    private struct ProblemTypesKey: StorageKey {
        typealias Value = ProblemTypes
    }

    /// The problem types this application explains under `/problems/`.
    var problemTypes: ProblemTypes {
        get { storage[ProblemTypesKey.self] ?? ProblemTypes() }
        set { storage[ProblemTypesKey.self] = newValue }
    }
}
