import Foundation
import Leaf
import Vapor

/// What every page hands the layout: its title, the form token, and who is signed in.
struct PageContext<Content: Encodable>: Encodable {
    var title: String
    var csrfToken: String
    var viewer: PageViewer?
    /// The configured sign-in providers, for the "Continue with NAME" buttons.
    var providers: [ProviderButton]
    var page: Content
}

struct ProviderButton: Content {
    var id: String
    var name: String
}

/// For pages with nothing of their own to show.
struct EmptyPage: Encodable {}

extension Request {
    /// Renders `template` in the layout. Pages carry a form token and often personal data, so no cache keeps them.
    func renderPage(
        _ template: String, title: String, _ page: some Encodable, status: HTTPResponseStatus = .ok,
        headers: HTTPHeaders = [:]
    ) async throws -> Response {
        let providers = application.loamConfiguration.oidcProviders.map { ProviderButton(id: $0.id, name: $0.name) }
        let context = PageContext(
            title: title, csrfToken: csrfToken, viewer: pageViewer, providers: providers, page: page)
        let response = try await view.render(template, context).encodeResponse(for: self)
        response.status = status
        for (name, value) in headers {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    /// 303 See Other: after a form, the browser fetches the target with GET, so a reload never re-posts.
    func seeOther(_ path: String) -> Response {
        Response(status: .seeOther, headers: ["Location": path])
    }
}
