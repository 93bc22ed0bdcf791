import Crypto
import CryptoExtras
import Foundation
import LoamKit
import Testing

@Suite("IDTokenVerifier: tokens that are refused")
struct IDTokenAttackTests {
    typealias F = OIDCFixtures

    // MARK: Algorithm and key

    @Test("alg none with an empty signature is refused")
    func algNone() throws {
        let token = F.handBuilt(header: ["alg": "none", "typ": "JWT"]) { _ in Data() }
        #expect(token.hasSuffix("."))

        #expect(throws: IDTokenError.unsupportedAlgorithm("none")) { try F.verify(token) }
    }

    @Test("HS256 keyed with the RSA public key (key confusion) is refused")
    func hmacKeyConfusion() throws {
        let publicKeyBytes = F.rsaKey.publicKey.derRepresentation
        let token = F.handBuilt(header: ["alg": "HS256", "kid": F.rsaKeyID]) { input in
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: publicKeyBytes)))
        }

        #expect(throws: IDTokenError.unsupportedAlgorithm("HS256")) { try F.verify(token) }
    }

    @Test("a token signed by another key under a known kid fails the signature check")
    func anotherKeySameKid() throws {
        let token = try F.token(signedBy: .rs256(F.otherRSAKey), keyID: F.rsaKeyID)

        #expect(throws: IDTokenError.badSignature) { try F.verify(token) }
    }

    @Test("a kid that is not in the set is refused, never checked against another key")
    func unknownKid() throws {
        // Signed by the key in the set: a fallback to "the only RSA key" would accept it.
        let token = try F.token(keyID: "rotated-away")

        #expect(throws: IDTokenError.unknownKey("rotated-away")) { try F.verify(token) }
    }

    @Test("a token without kid is refused when two keys could check it")
    func noKidTwoKeys() throws {
        let keys = try F.keySet([(.rs256(F.rsaKey), "a"), (.rs256(F.otherRSAKey), "b")])
        let token = try F.token(keyID: nil)

        #expect(throws: IDTokenError.unknownKey(nil)) { try F.verify(token, keys: keys) }
    }

    @Test("an ES256 token naming an RSA key's kid is refused")
    func algDoesNotFitKey() throws {
        let token = try F.token(signedBy: .es256(F.ecKey), keyID: F.rsaKeyID)

        #expect(throws: IDTokenError.unsupportedAlgorithm("ES256")) { try F.verify(token) }
    }

    @Test("a PS256 token naming a key published for RS256 is refused")
    func algDoesNotFitKeyDeclaredAlg() throws {
        let token = try F.handBuilt(header: ["alg": "PS256", "kid": F.rsaKeyID]) { input in
            try F.rsaKey.signature(for: SHA256.hash(data: input), padding: .PSS).rawRepresentation
        }

        #expect(throws: IDTokenError.unsupportedAlgorithm("PS256")) { try F.verify(token) }
    }

    @Test("a hostile alg is cut down before it reaches an error description")
    func logSafeAlgorithm() throws {
        let token = F.handBuilt(header: ["alg": "none\nlevel=info msg=forged " + String(repeating: "x", count: 500)]) {
            _ in Data()
        }

        let error = #expect(throws: IDTokenError.self) { try F.verify(token) }

        let description = try #require(error).description
        #expect(!description.contains("\n"))
        #expect(!description.contains(" "))
        #expect(description.count < 120)
    }

    // MARK: Signature

    @Test("a changed claim under the original signature fails the signature check")
    func tamperedPayload() throws {
        let token = try F.token()
        let parts = token.split(separator: ".").map(String.init)
        var payload = try F.jsonObject(try #require(F.fromBase64URL(parts[1])))
        payload["sub"] = "admin"
        let forgedPayload = try JSONSerialization.data(withJSONObject: payload, options: .sortedKeys)
        let forged = "\(parts[0]).\(F.base64URL(forgedPayload)).\(parts[2])"

        #expect(throws: IDTokenError.badSignature) { try F.verify(forged) }
    }

    @Test("a changed header under the original signature fails the signature check")
    func tamperedHeader() throws {
        let token = try F.token()
        let parts = token.split(separator: ".").map(String.init)
        let header = try JSONSerialization.data(
            withJSONObject: ["alg": "RS256", "kid": F.rsaKeyID], options: .sortedKeys)
        let forged = "\(F.base64URL(header)).\(parts[1]).\(parts[2])"

        #expect(throws: IDTokenError.badSignature) { try F.verify(forged) }
    }

    @Test("every single-bit change to the signature is refused", arguments: ["RS256", "ES256"])
    func flippedSignatureBits(alg: String) throws {
        let keys = try F.keySet()
        let token = try alg == "RS256" ? F.token() : F.token(signedBy: .es256(F.ecKey), keyID: F.ecKeyID)
        let signature = try F.parts(of: token).signature

        var checked = 0
        forEachFlippedBit(of: signature) { _, tampered in
            let forged = F.replacingSignature(of: token, with: tampered)
            #expect(throws: IDTokenError.badSignature) { try F.verify(forged, keys: keys) }
            checked += 1
        }
        #expect(checked == signature.count * 8)
    }

    @Test("an ES256 signature in DER instead of r||s is refused")
    func derSignature() throws {
        let token = try F.token(signedBy: .es256(F.ecKey), keyID: F.ecKeyID)
        let parts = token.split(separator: ".")
        let der = try F.ecKey.signature(for: Data("\(parts[0]).\(parts[1])".utf8)).derRepresentation

        #expect(throws: IDTokenError.badSignature) { try F.verify(F.replacingSignature(of: token, with: der)) }
    }

    @Test("a truncated or padded RSA signature is refused")
    func wrongLengthSignature() throws {
        let token = try F.token()
        let signature = try F.parts(of: token).signature

        #expect(throws: IDTokenError.badSignature) {
            try F.verify(F.replacingSignature(of: token, with: signature.dropLast()))
        }
        #expect(throws: IDTokenError.badSignature) {
            try F.verify(F.replacingSignature(of: token, with: [0] + signature))
        }
        #expect(throws: IDTokenError.badSignature) { try F.verify(F.replacingSignature(of: token, with: Data())) }
    }

    // MARK: Claims

    @Test("another issuer is refused, even one differing by a trailing slash")
    func wrongIssuer() throws {
        for issuer in ["https://evil.example.com", F.issuer + "/"] {
            let token = try F.token(claims: F.claims(["iss": issuer]))

            #expect(throws: IDTokenError.wrongIssuer) { try F.verify(token) }
        }
    }

    @Test("a token for another client is refused")
    func wrongAudience() throws {
        let token = try F.token(claims: F.claims(["aud": "other-client"]))

        #expect(throws: IDTokenError.wrongAudience) { try F.verify(token) }
    }

    @Test("several audiences without azp, or with another azp, are refused")
    func audienceArrayWithoutAuthorizedParty() throws {
        let withoutAzp = try F.token(claims: F.claims(["aud": [F.clientID, "other-client"]]))
        let otherAzp = try F.token(claims: F.claims(["aud": [F.clientID, "other-client"], "azp": "other-client"]))
        let notListed = try F.token(claims: F.claims(["aud": ["a", "b"], "azp": F.clientID]))

        #expect(throws: IDTokenError.wrongAudience) { try F.verify(withoutAzp) }
        #expect(throws: IDTokenError.wrongAudience) { try F.verify(otherAzp) }
        #expect(throws: IDTokenError.wrongAudience) { try F.verify(notListed) }
    }

    @Test("a token that expired beyond the clock skew is refused")
    func expired() throws {
        let token = try F.token(claims: F.claims(["exp": Int(F.now.timeIntervalSince1970) - 120]))

        #expect(throws: IDTokenError.expired) { try F.verify(token) }
    }

    @Test("a token valid now is refused once the clock moves past exp plus skew")
    func expiresWithTheClock() throws {
        let token = try F.token()

        #expect(throws: Never.self) { try F.verify(token, now: F.now.addingTimeInterval(600 + 59)) }
        #expect(throws: IDTokenError.expired) { try F.verify(token, now: F.now.addingTimeInterval(600 + 60)) }
    }

    @Test("a token issued in the future beyond the clock skew is refused")
    func issuedInFuture() throws {
        let token = try F.token(claims: F.claims(["iat": Int(F.now.timeIntervalSince1970) + 120]))

        #expect(throws: IDTokenError.issuedInFuture) { try F.verify(token) }
    }

    @Test("a missing or different nonce is refused")
    func nonce() throws {
        let missing = try F.token(claims: F.claims(["nonce": nil]))
        let different = try F.token(claims: F.claims(["nonce": "replayed-nonce"]))
        let empty = try F.token(claims: F.claims(["nonce": ""]))

        #expect(throws: IDTokenError.nonceMismatch) { try F.verify(missing) }
        #expect(throws: IDTokenError.nonceMismatch) { try F.verify(different) }
        #expect(throws: IDTokenError.nonceMismatch) { try F.verify(F.token(), nonce: F.nonce + "x") }
        #expect(throws: IDTokenError.nonceMismatch) { try F.verify(empty, nonce: "") }
    }

    @Test(
        "a missing or mistyped required claim makes the token malformed",
        arguments: [
            ("sub", nil), ("sub", "\"\""), ("iss", nil), ("aud", nil), ("aud", "[1]"), ("exp", nil),
            ("exp", "\"soon\""),
            ("exp", "true"), ("iat", nil),
        ] as [(String, String?)])
    func missingClaims(name: String, json: String?) throws {
        let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let token = try F.token(claims: F.claims([name: value]))

        let error = #expect(throws: IDTokenError.self) { try F.verify(token) }

        guard case .malformed? = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
    }

    // MARK: Shape

    @Test(
        "tokens that are not a compact JWS are malformed",
        arguments: [
            "", "abc", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9.e30", "!!.e30.AA", "e30.!!.AA", "e30.e30.!!",
            "W10.e30.", "e30.W10.",
        ])
    func shape(token: String) {
        let error = #expect(throws: IDTokenError.self) { try F.verify(token) }

        guard case .malformed? = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
    }

    @Test("a header with crit is refused: it names extensions the verifier does not implement")
    func critical() throws {
        let token = try F.handBuilt(header: ["alg": "RS256", "kid": F.rsaKeyID, "crit": ["b64"], "b64": false]) {
            input in
            try F.rsaKey.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }

        #expect(throws: IDTokenError.malformed("crit")) { try F.verify(token) }
    }
}
