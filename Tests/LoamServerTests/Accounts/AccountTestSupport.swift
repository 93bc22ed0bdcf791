import Fluent
import Foundation
import LoamKit
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Small helpers for driving the accounts API as a client would.
struct APIClient {
    let app: Application
    /// In memory by default; `.running` goes through a real socket, so requests have a client address.
    var method: Application.Method = .inMemory

    static let password = "hayloft-otter-42"

    func json(_ value: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: Array(try! JSONSerialization.data(withJSONObject: value)))
    }

    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, body: [String: String]? = nil, token: String? = nil,
        headers: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var all = headers
        if body != nil { all.contentType = .json }
        if let token { all.bearerAuthorization = BearerAuthorization(token: token) }
        return try await app.testing(method: self.method).sendRequest(method, path, headers: all, body: body.map(json))
    }

    func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// Signs up as a newcomer does: the address and name, then the mailed link with the password.
    /// Returns the account's id.
    @discardableResult
    func signUp(_ email: String, password: String = APIClient.password, name: String = "Dana Oster") async throws
        -> String
    {
        let response = try await send(.POST, "/api/v1/accounts", body: ["email": email, "name": name])
        #expect(response.status == .accepted, "\(response.body.string)")
        let token = try #require(try await mailedToken(app, to: email, prefix: "/verify-email/"))
        let verified = try await send(.POST, "/api/v1/accounts/verify", body: ["token": token, "password": password])
        #expect(verified.status == .created, "\(verified.body.string)")
        let bearer = try object(verified)["token"] as? String ?? ""
        try await forgetAccountMailLimits(app)
        let id = try object(try await send(.GET, "/api/v1/account", token: bearer))["id"] as? String ?? ""
        // Set-up leaves no session behind: tests sign in when they need one.
        try await send(.DELETE, "/api/v1/sessions/current", token: bearer)
        return id
    }

    /// Signs in and returns the bearer token.
    func signIn(_ email: String, password: String = APIClient.password) async throws -> String {
        let response = try await send(.POST, "/api/v1/sessions", body: ["email": email, "password": password])
        #expect(response.status == .created, "\(response.body.string)")
        return try object(response)["token"] as? String ?? ""
    }
}

/// Delivers the queued mails through a capturing transport and returns them as text.
func deliverMails(_ app: Application) async throws -> [String] {
    let transport = ScriptedTransport()
    let previous = app.mailTransport
    app.mailTransport = transport
    defer { app.mailTransport = previous }
    try await app.jobs.drain()
    return transport.delivered.withLockedValue { $0 }.map { String(decoding: $0.message, as: UTF8.self) }
}

/// Set-up only: the sign-up's own mail must not hold up the next account mail a test sends
/// (at most one a minute to an address). The limit itself has tests of its own.
func forgetAccountMailLimits(_ app: Application) async throws {
    try await app.db.sql().raw("DELETE FROM rate_limit_events WHERE name LIKE 'account-mail%'").run()
}

/// Delivers the queued mails and returns the token of the last link under `prefix` in a mail to `address`.
func mailedToken(_ app: Application, to address: String, prefix: String) async throws -> String? {
    let mails = try await deliverMails(app).filter { $0.contains("<\(address.lowercased())>") }
    return mails.compactMap { link(in: $0, prefix: prefix)?.token }.last
}

/// The first link in `mail` whose path starts with `prefix`, and its last path component (the token).
func link(in mail: String, prefix: String) -> (url: String, token: String)? {
    for line in mail.components(separatedBy: "\r\n") where line.contains(prefix) {
        let url = line.trimmingCharacters(in: .whitespaces)
        return (url, String(url.split(separator: "/").last ?? ""))
    }
    return nil
}
