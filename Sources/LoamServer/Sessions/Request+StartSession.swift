import Vapor

extension Request {
    /// Sets the new session's cookie on a redirect to `path`: how every way of signing in ends.
    ///
    /// The form token changes with it: the session's pages carry a token derived from its secret, and the
    /// cookie's token, which someone may have planted before sign-in, is replaced for the signed-out forms after.
    func startSession(_ issued: SessionToken, goingTo path: String) -> Response {
        let configuration = application.loamConfiguration
        renewCSRFCookie()
        let response = seeOther(path)
        response.cookies[SessionCookie.name(for: configuration)] = SessionCookie.value(
            issued.token, expires: issued.session.expiresAt, configuration: configuration)
        return response
    }
}
