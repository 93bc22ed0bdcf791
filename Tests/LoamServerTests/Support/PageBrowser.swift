import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// A browser in miniature: keeps cookies, reads the form token from the last page, posts forms.
final class PageBrowser {
    let app: Application
    var cookies: [String: String] = [:]
    /// The `csrf_token` of the last page that had a form.
    var formToken: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil)
    }

    enum FormToken {
        /// The token of the last page, as a real form sends it.
        case page
        case missing
        case forged(String)
    }

    @discardableResult
    func post(_ path: String, _ fields: [String: String] = [:], token: FormToken = .page) async throws
        -> TestingHTTPResponse
    {
        var all = fields
        switch token {
        case .page: all["csrf_token"] = formToken
        case .missing: break
        case .forged(let value): all["csrf_token"] = value
        }
        let body = all.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    /// Posts a `multipart/form-data` form as a browser does for `<input type=file>`: the parts in order
    /// (the page's token first unless told otherwise), the file's bytes as they are.
    @discardableResult
    func upload(
        _ path: String, fields: [(String, String)] = [], file: (name: String, bytes: [UInt8])?,
        token: FormToken = .page, tokenAfterFile: Bool = false
    ) async throws -> TestingHTTPResponse {
        let boundary = "----LoamTestBoundary\(UUID().uuidString.prefix(8))"
        var parts: [[UInt8]] = []
        func field(_ name: String, _ value: String) -> [UInt8] {
            Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        var tokenPart: [UInt8]?
        switch token {
        case .page: tokenPart = formToken.map { field("csrf_token", $0) }
        case .missing: tokenPart = nil
        case .forged(let value): tokenPart = field("csrf_token", value)
        }
        if let tokenPart, !tokenAfterFile { parts.append(tokenPart) }
        for (name, value) in fields { parts.append(field(name, value)) }
        if let file {
            parts.append(
                Array(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8)
                    + file.bytes + Array("\r\n".utf8))
        }
        if let tokenPart, tokenAfterFile { parts.append(tokenPart) }
        var body = ByteBuffer()
        for part in parts { body.writeBytes(part) }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, bytes: body)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if body != nil { headers.contentType = .urlEncodedForm }
        return try await send(method, path, headers: headers, bytes: body.map { ByteBuffer(string: $0) })
    }

    @discardableResult
    private func send(_ method: HTTPMethod, _ path: String, headers extra: HTTPHeaders, bytes: ByteBuffer?) async throws
        -> TestingHTTPResponse
    {
        var headers = extra
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: bytes)
        var startedSession = false
        for line in response.headers[.setCookie] {
            let pair = line.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            cookies[name] = value.isEmpty ? nil : value
            if name.hasSuffix("loam_session") && !value.isEmpty { startedSession = true }
        }
        if let token = Self.formToken(in: response.body.string) { formToken = token }
        // A new session brings a new form token, which a browser reads from the page it is sent to next:
        // follow the redirect as one would, and hand back the response that started the session.
        if startedSession, response.status == .seeOther, let location = response.headers.first(name: .location),
            location.hasPrefix("/")
        {
            try await send(.GET, location, headers: [:], bytes: nil)
        }
        return response
    }

    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
    }

    private func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? ""
    }

    func setCookie(_ response: TestingHTTPResponse, named name: String) -> String? {
        response.headers[.setCookie].first { $0.hasPrefix(name + "=") }
    }

    /// Signs up through the form, opens the mailed link, chooses the password and keeps the session cookie.
    func signUp(_ email: String, name: String = "Dana Oster", password: String = APIClient.password) async throws {
        try await get("/sign-up")
        let response = try await post("/sign-up", ["email": email, "name": name])
        #expect(response.status == .ok, "\(response.body.string)")
        let token = try #require(try await mailedToken(app, to: email, prefix: "/verify-email/"))
        try await get("/verify-email/\(token)")
        let verified = try await post("/verify-email/\(token)", ["new_password": password])
        #expect(verified.status == .seeOther, "\(verified.body.string)")
        try await forgetAccountMailLimits(app)
    }

    func signIn(_ email: String, password: String = APIClient.password, next: String? = nil) async throws
        -> TestingHTTPResponse
    {
        try await get("/sign-in")
        var fields = ["email": email, "password": password]
        fields["next"] = next
        return try await post("/sign-in", fields)
    }
}
