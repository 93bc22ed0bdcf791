import Foundation
import LoamServer
import Testing
import Vapor
import VaporTesting

/// The rule: no log line carries an email address, a token or a password, even at trace level.
@Suite("Log privacy")
struct LogPrivacyTests {
    static let email = "dana.secret@example.org"
    static let password = "correct-horse-battery-staple-42"
    static let token = "tk_" + String(repeating: "Zq9", count: 15)

    @Test("Requests that carry addresses, passwords and tokens leave none of them in the log")
    func nothingSensitiveLogged() async throws {
        let logs = LogCapture()
        try await withLoamApp(
            logs: logs,
            routes: { app in
                // Routes that log what careless code would: the redacting handler must catch it.
                app.post("api", "v1", "careless") { request -> String in
                    request.logger.debug("body \(request.body.string ?? "")")
                    request.logger.info("signing in", metadata: ["who": .string(Self.email)])
                    request.logger.trace("headers \(request.headers)")
                    return "ok"
                }
            }
        ) { app in
            let body = #"{"email":"\#(Self.email)","password":"\#(Self.password)"}"#
            try await app.testing().test(
                .POST, "/api/v1/careless",
                headers: [
                    "Content-Type": "application/json", "Authorization": "Bearer \(Self.token)",
                    "Cookie": "loam_session=\(Self.token)",
                ],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
            }
            try await app.testing().test(.GET, "/invitations/\(Self.token)?email=\(Self.email)") { response in
                #expect(response.status == .notFound)
            }
            // Without a session the API refuses before any lookup; the path with its secrets is still logged.
            try await app.testing().test(.GET, "/api/v1/people/\(Self.email)?password=\(Self.password)") { response in
                #expect(response.status == .unauthorized)
            }
        }
        let lines = logs.captured
        // The capture works (the careless route's lines are there) ...
        #expect(lines.contains { $0.contains("signing in") })
        #expect(lines.contains { $0.contains("headers") })
        #expect(lines.filter { $0.contains("\"request\"") || $0.contains("request ") }.count >= 3)
        // ... and none of the secrets is.
        for line in lines {
            #expect(!line.contains(Self.email), "email in log line: \(line)")
            #expect(!line.contains("example.org"), "address domain in log line: \(line)")
            #expect(!line.contains(Self.password), "password in log line: \(line)")
            #expect(!line.contains(Self.token), "token in log line: \(line)")
            #expect(!line.contains("Zq9Zq9Zq9"), "token fragment in log line: \(line)")
        }
    }
}
