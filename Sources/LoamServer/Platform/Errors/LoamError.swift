import Vapor

/// An error a feature raises on purpose, with the status and problem type a client sees.
///
/// Each feature has its own enum conforming to this; the error middleware renders it as a page or as
/// problem+json. `detail` is shown to the user, so it never carries another user's data or a secret.
public protocol LoamError: Error {
    var status: HTTPResponseStatus { get }
    var problemType: ProblemType { get }
    var detail: String { get }
    /// Extra response headers, e.g. `Retry-After`.
    var headers: HTTPHeaders { get }
}

extension LoamError {
    public var headers: HTTPHeaders { [:] }
}
