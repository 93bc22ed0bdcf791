import Foundation
import Testing

@testable import LoamServer

@Suite("SMTP_URL parsing")
struct SMTPConfigurationTests {
    @Test func plainURLDefaultsToPort25AndOpportunisticSTARTTLS() throws {
        let configuration = try SMTPConfiguration.parse(url: "smtp://mail.example.com", caFile: nil)
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 25)
        #expect(configuration.security == .startTLSIfOffered)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.authMechanism == nil)
    }

    @Test func smtpsDefaultsToPort465AndImplicitTLS() throws {
        let configuration = try SMTPConfiguration.parse(url: "SMTPS://Mail.Example.com/", caFile: nil)
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 465)
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.redactedDescription == "smtps://mail.example.com:465")
    }

    @Test func percentEncodedCredentialsAreDecoded() throws {
        let configuration = try SMTPConfiguration.parse(
            url: "smtp://me%40example.com:p%40ss%20w0rd%21%3A%2F@relay.example.com:587", caFile: nil)
        #expect(configuration.username == "me@example.com")
        #expect(configuration.password == "p@ss w0rd!:/")
        #expect(configuration.port == 587)
        #expect(configuration.redactedDescription == "smtp://me@example.com@relay.example.com:587")
        #expect(!configuration.redactedDescription.contains("p@ss"))
    }

    @Test func userWithoutPassword() throws {
        let configuration = try SMTPConfiguration.parse(url: "smtp://alice@127.0.0.1:2525", caFile: nil)
        #expect(configuration.username == "alice")
        #expect(configuration.password == nil)
        #expect(configuration.hostIsIPAddress)
        #expect(configuration.isLoopbackHost)
    }

    @Test func options() throws {
        let configuration = try SMTPConfiguration.parse(
            url: "smtp://u:p@relay.example.com?starttls=required&auth=LOGIN&helo=loam.example.org&timeout=5",
            caFile: nil)
        #expect(configuration.security == .startTLSRequired)
        #expect(configuration.authMechanism == .login)
        #expect(configuration.heloName == "loam.example.org")
        #expect(configuration.timeout == .seconds(5))
    }

    @Test func ipv6Literal() throws {
        let configuration = try SMTPConfiguration.parse(url: "smtp://[::1]:2525", caFile: nil)
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
        #expect(configuration.hostIsIPAddress)
        #expect(configuration.isLoopbackHost)
        #expect(configuration.redactedDescription == "smtp://[::1]:2525")
    }

    @Test func loopbackDetection() throws {
        for host in ["localhost", "127.0.0.1", "127.1.2.3"] {
            #expect(try SMTPConfiguration.parse(url: "smtp://\(host)", caFile: nil).isLoopbackHost)
        }
        for host in ["mail.example.com", "10.0.0.1", "127.example.com", "128.0.0.1"] {
            #expect(try !SMTPConfiguration.parse(url: "smtp://\(host)", caFile: nil).isLoopbackHost)
        }
    }

    @Test(
        arguments: [
            "", "mail.example.com", "http://mail.example.com", "smtp://", "smtp://:secret@host",
            "smtp://host:0", "smtp://host:65536", "smtp://host:25x", "smtp://host:-1", "smtp://ho st",
            "smtp://host/path", "smtp://host#frag", "smtp://[::1", "smtp://[zz]:25", "smtp://host?starttls=maybe",
            "smtps://host?starttls=required", "smtp://host?auth=cram-md5", "smtp://host?helo=bad_name",
            "smtp://host?timeout=0", "smtp://host?color=blue", "smtp://user:p%zzss@host", "smtp://-host-",
        ])
    func badURLsNameTheVariable(url: String) {
        #expect(throws: SMTPConfigurationError.self) { try SMTPConfiguration.parse(url: url, caFile: nil) }
        do {
            _ = try SMTPConfiguration.parse(url: url, caFile: nil)
        } catch {
            #expect(error.variable == "SMTP_URL")
            #expect(!error.expected.isEmpty)
        }
    }

    @Test(arguments: [
        "smtp://user:S3cr%E2%82%ACt-pw@host:99999",
        "smtp://user:S3cr%E2%82%ACt-pw@ho st",
        "smtp://user:S3cr%E2%82%ACt-pw@host?unknown=S3cr",
        "ftp://user:S3cr%E2%82%ACt-pw@host",
    ])
    func errorsNeverContainThePassword(url: String) {
        do {
            _ = try SMTPConfiguration.parse(url: url, caFile: nil)
            Issue.record("expected an error")
        } catch {
            for text in [error.description, "\(error)", String(reflecting: error), error.expected] {
                #expect(!text.contains("S3cr"))
            }
        }
    }

    @Test func descriptionsNeverContainThePassword() throws {
        let configuration = try SMTPConfiguration.parse(url: "smtps://bob:hunter2secret@mail.example.com", caFile: nil)
        #expect(configuration.redactedDescription == "smtps://bob@mail.example.com:465")
        #expect(!configuration.redactedDescription.contains("hunter2"))
    }

    @Test func missingCAFileNamesSMTPCAFile() {
        do {
            _ = try SMTPConfiguration.parse(url: "smtp://host", caFile: "/nonexistent/ca.pem")
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "SMTP_CA_FILE")
        }
    }

    @Test func caFileWithoutCertificatesIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loam-not-a-ca-\(UUID()).pem").path
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            throws: SMTPConfigurationError(
                variable: "SMTP_CA_FILE", expected: "a readable PEM file holding at least one CA certificate")
        ) {
            try SMTPConfiguration.parse(url: "smtp://host", caFile: path)
        }
    }

    @Test(.enabled(if: SMTPTestEnvironment.caFile != nil))
    func caFileIsKept() throws {
        let configuration = try SMTPConfiguration.parse(url: "smtp://host", caFile: SMTPTestEnvironment.caFile)
        #expect(configuration.caFile == SMTPTestEnvironment.caFile)
    }
}
