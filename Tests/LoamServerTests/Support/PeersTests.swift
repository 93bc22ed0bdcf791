import Foundation
import Testing

/// Suites that need a real server skip when it is absent (a bare `swift test`). Under
/// `scripts/test` every peer must be there, so a broken start-up script cannot hide tests.
@Suite("Test peers")
struct PeersTests {
    @Test(
        "scripts/test provides every peer the suites need",
        .enabled(if: ProcessInfo.processInfo.environment["LOAM_TEST_REQUIRE_PEERS"] == "1"))
    func peersPresent() {
        let environment = ProcessInfo.processInfo.environment
        for variable in [
            "LOAM_TEST_SMTP_URL", "LOAM_TEST_SMTP_MAILDIR", "LOAM_TEST_SMTP_AUTH_URL", "LOAM_TEST_SMTPS_URL",
            "LOAM_TEST_SMTP_CA_FILE", "LOAM_TEST_OIDC_ISSUER",
        ] {
            #expect(environment[variable]?.isEmpty == false, "\(variable) is not set")
        }
    }
}
