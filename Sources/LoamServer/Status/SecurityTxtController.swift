import Foundation
import Vapor

/// `/.well-known/security.txt` (RFC 9116): where to report a vulnerability, for people and scanners alike.
///
/// Built from the configuration on each request, so `Expires:` always lies a year ahead of the clock and a
/// long-running server never serves an expired file.
struct SecurityTxtController: RouteCollection {
    static let path = "/.well-known/security.txt"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(".well-known", "security.txt", use: securityTxt)
    }

    @Sendable
    func securityTxt(request: Request) async throws -> Response {
        let text = Self.text(configuration: request.application.loamConfiguration, now: request.application.clock.now())
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.cacheControl = .init(maxAge: 86_400)
        return response
    }

    static func text(configuration: LoamConfiguration, now: Date) -> String {
        let base =
            configuration.baseURL.absoluteString.hasSuffix("/")
            ? String(configuration.baseURL.absoluteString.dropLast()) : configuration.baseURL.absoluteString
        let lines = [
            "Contact: \(configuration.securityContactURI)",
            "Expires: \(expires(now: now))",
            "Preferred-Languages: en",
            "Canonical: \(base)\(path)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One year (365 days) after `now`, in RFC 3339 UTC: RFC 9116 asks for a date at most about a year ahead.
    static func expires(now: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: now.addingTimeInterval(365 * 86_400))
    }
}
