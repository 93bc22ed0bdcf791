import Foundation
import Vapor

/// The guard of every page that needs someone signed in: a browser without a session goes to sign in, then back.
///
/// Back means the page it asked for (`GET`, with its query), or, for a form posted from a session that has since
/// ended, `landing`: the page the form belongs to, since a `POST` address cannot be opened again.
struct SignedInPages: AsyncMiddleware {
    var landing: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.hasPageViewer else {
            return request.seeOther("/sign-in?next=" + Self.escaped(returnPath(request)))
        }
        return try await next.respond(to: request)
    }

    private func returnPath(_ request: Request) -> String {
        guard request.method == .GET else { return landing }
        guard let query = request.url.query, !query.isEmpty else { return request.url.path }
        return request.url.path + "?" + query
    }

    /// `next` is one query value: what would end it (`&`, `#`, `+`, `=`) is escaped; slashes stay readable.
    private static func escaped(_ path: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&#+=")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}

extension RoutesBuilder {
    /// Routes that only a signed-in browser may use; see `SignedInPages`.
    func signedInPages(landing: String) -> any RoutesBuilder {
        grouped(SignedInPages(landing: landing))
    }
}
