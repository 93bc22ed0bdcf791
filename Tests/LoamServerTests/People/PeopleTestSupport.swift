import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

extension APIClient {
    /// Sends any JSON body (arrays, numbers, booleans), as API clients do.
    @discardableResult
    func sendJSON(_ method: HTTPMethod, _ path: String, _ body: [String: Any], token: String) async throws
        -> TestingHTTPResponse
    {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await app.testing().sendRequest(
            method, path, headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
            body: ByteBuffer(bytes: Array(data)))
    }

    /// A new account, signed in; returns its bearer token.
    func signedIn(_ email: String) async throws -> String {
        try await signUp(email)
        return try await signIn(email)
    }

    /// Creates a person and returns their id.
    func person(_ body: [String: Any], token: String) async throws -> String {
        let response = try await sendJSON(.POST, "/api/v1/people", body, token: token)
        #expect(response.status == .created || response.status == .ok, "\(response.body.string)")
        return try #require(try object(response)["id"] as? String)
    }

    func items(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        try object(response)["items"] as? [[String: Any]] ?? []
    }
}
