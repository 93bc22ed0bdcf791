import Foundation
import Leaf
import Vapor

/// What every account page hands the layout: its title, the form token, and who is signed in.
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

struct PageViewer: Encodable {
    var name: String
}

/// For pages with nothing of their own to show.
struct EmptyPage: Encodable {}

extension Request {
    /// Renders `template` in the layout. Pages carry a form token and often personal data, so no cache keeps them.
    func renderPage(
        _ template: String, title: String, _ page: some Encodable, status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:]
    ) async throws -> Response {
        let viewer = auth.get(Authenticated.self).map { PageViewer(name: $0.user.name) }
        let providers = application.loamConfiguration.oidcProviders.map { ProviderButton(id: $0.id, name: $0.name) }
        let context = PageContext(title: title, csrfToken: csrfToken, viewer: viewer, providers: providers, page: page)
        let response = try await view.render(template, context).encodeResponse(for: self)
        response.status = status
        for (name, value) in headers {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

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

    /// 303 See Other: after a form, the browser fetches the target with GET, so a reload never re-posts.
    func seeOther(_ path: String) -> Response {
        Response(status: .seeOther, headers: ["Location": path])
    }

    /// Where account pages send a browser that is not signed in: to sign in, then back.
    var signInRedirect: Response { seeOther("/sign-in?next=/account") }
}

/// Where to go after signing in: only a path on this server (`/…`), never `//host` or `/\host`, which
/// browsers read as another site, so a crafted sign-in link cannot send someone elsewhere.
enum LocalRedirect {
    static let fallback = "/account"

    static func target(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count <= 2_000,
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return fallback }
        return next
    }
}

/// Dates on the pages, in the user's time zone.
struct PageDates {
    private let formatter: DateFormatter

    init(timeZone identifier: String) {
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm zzz"
    }

    func format(_ date: Date?) -> String {
        date.map(formatter.string(from:)) ?? "unknown"
    }
}

/// A short name for a browser from its User-Agent ("Firefox on Linux"), the raw text when it is unusual.
enum DeviceName {
    static func describe(_ agent: String?) -> String {
        guard let agent, !agent.isEmpty else { return "unknown device" }
        let browsers = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        let systems = [
            ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
            ("CrOS", "ChromeOS"), ("Linux", "Linux"),
        ]
        let browser = browsers.first { agent.contains($0.0) }?.1
        let system = systems.first { agent.contains($0.0) }?.1
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) on \(system)"
        case let (browser?, nil): return browser
        default: return String(agent.prefix(80))
        }
    }
}

extension AuditKind {
    /// The event as the account page lists it.
    var words: String {
        switch self {
        case .accountCreated: "Account created"
        case .emailVerified: "Address confirmed"
        case .signedIn: "Signed in"
        case .signInFailed: "Failed sign-in (wrong password)"
        case .signInThrottled: "Sign-in slowed down after failed attempts"
        case .signInRefusedRestricted: "Sign-in refused: account restricted"
        case .signedOut: "Signed out"
        case .sessionRevoked: "A session was signed out"
        case .otherSessionsRevoked: "Signed out everywhere else"
        case .passwordChanged: "Password changed"
        case .passwordReset: "Password reset from a mail link"
        case .recoveryRequested: "\"Can't sign in?\" mail requested"
        case .restricted: "Account restricted"
        case .unrestricted: "Restriction lifted"
        case .emailChangeRequested: "Address change requested"
        case .emailChanged: "Address changed"
        case .emailChangeUndone: "Address change undone"
        case .settingsChanged: "Settings changed"
        case .signInMethodAdded: "Sign-in method added"
        case .signInMethodRemoved: "Sign-in method removed"
        case .reauthenticated: "Confirmed with a provider for a change"
        }
    }
}
