import AsyncHTTPClient
import Foundation
import LoamKit
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

enum OIDCTestEnvironment {
    /// The oidc-provider-mock that scripts/test starts.
    static let issuer = ProcessInfo.processInfo.environment["LOAM_TEST_OIDC_ISSUER"].flatMap { $0.isEmpty ? nil : $0 }
    static var hasProvider: Bool { issuer != nil }
}

/// A provider group as `LOAM_OIDC_<ID>_*` would configure it.
func providerSettings(id: String, issuer: String, name: String? = nil) -> OIDCProviderSettings {
    OIDCProviderSettings(
        id: id, name: name ?? id.capitalized, issuer: URL(string: issuer)!, clientID: "loam-test-client",
        clientAuthentication: .secret("loam-test-secret"))
}

/// A browser outside Loam: it follows the provider's pages (never redirects on its own).
let providerBrowser = HTTPClient(
    eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

extension PageBrowser {
    /// GET `/auth/<id>/start`: returns the provider URL Loam redirects to.
    func startProviderSignIn(_ id: String, next: String? = nil) async throws -> URL {
        let response = try await get("/auth/\(id)/start" + (next.map { "?next=\($0)" } ?? ""))
        #expect(response.status == .seeOther, "\(response.body.string)")
        let location = try #require(response.headers.first(name: .location))
        return try #require(URL(string: location))
    }

    /// Authorizes at oidc-provider-mock as `subject` and returns Loam's callback path with its query.
    func authorizeAtMock(_ url: URL, as subject: String) async throws -> String {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "sub=\(subject)"))
        // A fresh connection each time: the mock may close an idle kept-alive one just as it is reused, which
        // failed a PostgreSQL pass with `remoteConnectionClosed` (a code the mock issued and nobody used is harmless).
        request.headers.add(name: "Connection", value: "close")
        let response: HTTPClientResponse
        do {
            response = try await providerBrowser.execute(request, timeout: .seconds(10))
        } catch let error as HTTPClientError where error == .remoteConnectionClosed {
            response = try await providerBrowser.execute(request, timeout: .seconds(10))
        }
        #expect(response.status == .found)
        let header = try #require(response.headers.first(name: "Location"))
        let location = try #require(URL(string: header))
        return location.path + "?" + (location.query ?? "")
    }
}

/// The query items of `url` by name.
func queryItems(_ url: URL) -> [String: String] {
    var items: [String: String] = [:]
    for item in URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
        items[item.name] = item.value
    }
    return items
}
