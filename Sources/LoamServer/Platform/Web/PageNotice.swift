import Vapor

/// What a page says happened after a form sent the browser back to it (`?notice=<key>`).
///
/// Each page has its own enum of fixed phrases, so a link cannot make a page show text of its choosing, and a
/// redirect can only name a notice that exists.
protocol PageNotice: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    var text: String { get }
}

extension Request {
    /// The text of the `?notice=` this page knows, or nil.
    func notice<Notice: PageNotice>(_: Notice.Type) -> String? {
        (try? query.get(String.self, at: "notice")).flatMap(Notice.init(rawValue:))?.text
    }

    /// 303 to `path`, which then shows `notice`.
    func seeOther(_ path: String, notice: (some PageNotice)?) -> Response {
        guard let notice else { return seeOther(path) }
        return seeOther(path + (path.contains("?") ? "&" : "?") + "notice=" + notice.rawValue)
    }

    /// Post-redirect-get for one form: runs `change`, which says where the browser goes next and with which
    /// notice. A refusal the user can act on (any `Refusal` but a 404, which stays an error page) shows the form's
    /// page again through `showRefusal`, with the reason and the refusal's status; nothing was changed.
    func postRedirectGet<Refusal: LoamError, Notice: PageNotice>(
        refusedWith _: Refusal.Type,
        _ change: () async throws -> (path: String, notice: Notice?),
        showRefusal: (Refusal) async throws -> Response
    ) async throws -> Response {
        do {
            let (path, notice) = try await change()
            return seeOther(path, notice: notice)
        } catch let refusal as Refusal where refusal.status != .notFound {
            return try await showRefusal(refusal)
        }
    }
}
