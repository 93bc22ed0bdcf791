import Crypto
import Foundation
import LoamKit
import Testing

@testable import LoamServer

@Suite("Provider configuration from LOAM_OIDC_<ID>_*")
struct OIDCConfigurationTests {
    private func load(_ environment: [String: String]) throws -> LoamConfiguration {
        try LoamConfiguration.load(environment: environment)
    }

    @Test("Google needs only a client id and secret; a generic provider names its issuer and label")
    func googleAndGeneric() throws {
        let configuration = try load([
            "LOAM_OIDC_GOOGLE_CLIENT_ID": "g-id", "LOAM_OIDC_GOOGLE_CLIENT_SECRET": "g-secret",
            "LOAM_OIDC_WORK_ISSUER": "https://login.example.com/realms/staff", "LOAM_OIDC_WORK_CLIENT_ID": "loam",
            "LOAM_OIDC_WORK_CLIENT_SECRET": "w-secret", "LOAM_OIDC_WORK_NAME": "Example Staff",
        ])
        let providers = configuration.oidcProviders
        #expect(providers.map(\.id) == ["google", "work"])
        #expect(providers[0].issuer.absoluteString == "https://accounts.google.com" && providers[0].name == "Google")
        #expect(providers[1].name == "Example Staff" && providers[1].clientAuthentication == .secret("w-secret"))
        #expect(!"\(providers)".contains("secret"), "descriptions never show the secret")
    }

    @Test("A missing or unknown setting names the variable, never its value")
    func errorsNameTheVariable() {
        #expect(throws: ConfigurationError.self) { try load(["LOAM_OIDC_WORK_ISSUER": "https://login.example.com"]) }
        do {
            _ = try load(["LOAM_OIDC_WORK_ISSUER": "https://login.example.com", "LOAM_OIDC_WORK_CLIENT_ID": "x"])
            Issue.record("a provider without a secret was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == "LOAM_OIDC_WORK_CLIENT_SECRET")
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try load(["LOAM_OIDC_WORK_CLIENT_SECRETT": "hunter2"])
            Issue.record("an unknown setting was accepted")
        } catch let error as ConfigurationError {
            #expect(!error.description.contains("hunter2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ConfigurationError.self) {
            try load([
                "LOAM_OIDC_WORK_ISSUER": "http://login.example.com", "LOAM_OIDC_WORK_CLIENT_ID": "x",
                "LOAM_OIDC_WORK_CLIENT_SECRET": "s",
            ])
        }
    }

    @Test("Apple takes a team id, key id and key (PEM or file) instead of a secret, and needs an https base URL")
    func apple() throws {
        let pem = P256.Signing.PrivateKey().pemRepresentation
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("AuthKey-\(UUID().uuidString).p8")
        try pem.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = [
            "LOAM_BASE_URL": "https://loam.example.com", "LOAM_OIDC_APPLE_CLIENT_ID": "com.example.loam",
            "LOAM_OIDC_APPLE_TEAM_ID": "TEAM", "LOAM_OIDC_APPLE_KEY_ID": "KEY",
            "LOAM_OIDC_APPLE_PRIVATE_KEY": file.path,
        ]
        let apple = try #require(try load(environment).oidcProviders.first)
        #expect(apple.issuer.absoluteString == "https://appleid.apple.com" && apple.usesFormPost)
        #expect(apple.clientAuthentication == .appleKey(teamID: "TEAM", keyID: "KEY", privateKeyPEM: pem))

        var http = environment
        http["LOAM_BASE_URL"] = "http://loam.example.com"
        do {
            _ = try load(http)
            Issue.record("Apple over plain http was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == "LOAM_BASE_URL")
        }
    }
}
