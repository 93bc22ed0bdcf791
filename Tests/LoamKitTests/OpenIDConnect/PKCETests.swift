import Foundation
import LoamKit
import Testing

@Suite("PKCE")
struct PKCETests {
    @Test("the S256 challenge matches RFC 7636 Appendix B")
    func knownAnswer() {
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("a verifier is 43 base64url characters (256 bits) and differs every time")
    func verifiers() {
        let verifiers = (0..<100).map { _ in PKCE.makeVerifier() }

        #expect(verifiers.allSatisfy { $0.count == 43 })
        #expect(
            verifiers.allSatisfy {
                $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            })
        #expect(Set(verifiers).count == 100)
        #expect(OIDCFixtures.fromBase64URL(verifiers[0])?.count == 32)
        #expect(PKCE.challenge(for: verifiers[0]).count == 43)
    }
}
