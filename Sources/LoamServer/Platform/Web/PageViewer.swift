import Vapor

/// Who the pages are showing themselves to: the signed-in person's name for the header.
///
/// Platform does not know how people sign in; the feature that does (Sessions) tells the application how to find
/// the viewer of a request (`Application.pageViewerLookup`). The page layout, the form tokens and the cache headers
/// only ask whether there is one.
struct PageViewer: Encodable, Sendable {
    var name: String
}

extension Application {
    private struct PageViewerLookupKey: StorageKey {
        typealias Value = @Sendable (Request) -> PageViewer?
    }

    /// Finds the signed-in viewer of a request; nobody until a feature says otherwise.
    var pageViewerLookup: @Sendable (Request) -> PageViewer? {
        get { storage[PageViewerLookupKey.self] ?? { _ in nil } }
        set { storage[PageViewerLookupKey.self] = newValue }
    }
}

extension Request {
    /// The signed-in viewer, asked afresh each time: a handler that signs out changes the answer.
    var pageViewer: PageViewer? { application.pageViewerLookup(self) }

    /// Whether a signed-in browser is asking (never true under `/api`, which reads bearer tokens only).
    var hasPageViewer: Bool { pageViewer != nil }

    var isAPI: Bool { url.path == "/api" || url.path.hasPrefix("/api/") }
}
