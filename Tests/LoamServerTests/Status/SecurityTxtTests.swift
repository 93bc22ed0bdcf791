import Foundation
import LoamKit
import LoamServer
import Testing
import VaporTesting

/// `/.well-known/security.txt` (RFC 9116) and `LOAM_SECURITY_CONTACT`.
@Suite("security.txt")
struct SecurityTxtTests {
    private func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            fields[String(parts[0])] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return fields
    }

    @Test(
        "By default: Contact is mailto: the mail sender, Expires a year ahead, Canonical under the base URL, text/plain"
    )
    func defaults() async throws {
        let (clock, _) = LoamClock.manual(start: Date(timeIntervalSince1970: 1_800_000_000))  // 2027-01-15T08:00:00Z
        try await withLoamApp(
            adjust: {
                $0.baseURL = URL(string: "https://loam.example.com")!
                $0.mailFrom = try! MailAddress("crm@example.com", name: "Loam")
            }, clock: clock
        ) { app in
            try await app.testing().test(.GET, "/.well-known/security.txt") { response in
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .contentType) == "text/plain; charset=utf-8")
                let text = response.body.string
                #expect(text.hasSuffix("\n") && !text.contains("\r"))
                let fields = fields(text)
                #expect(fields["Contact"] == "mailto:crm@example.com")
                #expect(fields["Expires"] == "2028-01-15T08:00:00Z")
                #expect(fields["Preferred-Languages"] == "en")
                #expect(fields["Canonical"] == "https://loam.example.com/.well-known/security.txt")
                // No Policy: line while Loam serves no policy page.
                #expect(fields["Policy"] == nil)
                #expect(response.headers.first(name: "Content-Security-Policy") != nil)
            }
        }
    }

    @Test("LOAM_SECURITY_CONTACT is the Contact: line; Expires follows the clock as it moves")
    func configuredContactAndMovingClock() async throws {
        let (clock, controller) = LoamClock.manual(start: Date(timeIntervalSince1970: 1_800_000_000))
        let configured = try LoamConfiguration.load(environment: ["LOAM_SECURITY_CONTACT": "https://example.com/report"]
        )
        try await withLoamApp(adjust: { $0.securityContact = configured.securityContact }, clock: clock) { app in
            try await app.testing().test(.GET, "/.well-known/security.txt") { response in
                #expect(fields(response.body.string)["Contact"] == "https://example.com/report")
                #expect(fields(response.body.string)["Expires"] == "2028-01-15T08:00:00Z")
            }
            controller.advance(by: 200 * 86_400)
            try await app.testing().test(.GET, "/.well-known/security.txt") { response in
                #expect(fields(response.body.string)["Expires"] == "2028-08-02T08:00:00Z")
            }
        }
    }

    @Test(
        "LOAM_SECURITY_CONTACT takes mailto: and https: URIs; a bare address becomes mailto:",
        arguments: [
            ("mailto:security@example.com", "mailto:security@example.com"),
            ("MAILTO:security@example.com", "mailto:security@example.com"),
            ("security@example.com", "mailto:security@example.com"),
            ("https://example.com/.well-known/report", "https://example.com/.well-known/report"),
        ])
    func parsesContact(raw: String, expected: String) throws {
        #expect(try LoamConfiguration.load(environment: ["LOAM_SECURITY_CONTACT": raw]).securityContactURI == expected)
        #expect(
            try LoamConfiguration.load(environment: ["LOAM_MAIL_FROM": "Loam <crm@example.com>"]).securityContactURI
                == "mailto:crm@example.com")
    }

    @Test(
        "A bad LOAM_SECURITY_CONTACT stops start-up naming the variable",
        arguments: [
            "http://example.com/report", "mailto:", "mailto:not an address", "security", "ftp://example.com",
            "https://", "javascript:alert(1)",
        ])
    func refusesBadContact(raw: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LoamConfiguration.load(environment: ["LOAM_SECURITY_CONTACT": raw])
        }
        #expect(error?.variable == "LOAM_SECURITY_CONTACT")
    }
}
