import Crypto
import CryptoExtras
import Foundation
import LoamKit
import Testing

@Suite("IDTokenVerifier: tokens that verify")
struct IDTokenVerifierTests {
    typealias F = OIDCFixtures

    @Test("an RS256 token verifies and yields its claims")
    func rs256() throws {
        let token = try F.token()

        let claims = try F.verify(token)

        let seconds = F.now.timeIntervalSince1970
        #expect(
            claims
                == IDTokenClaims(
                    issuer: F.issuer, subject: "user-1234", audiences: [F.clientID], authorizedParty: nil,
                    expiresAt: Date(timeIntervalSince1970: seconds + 600),
                    issuedAt: Date(timeIntervalSince1970: seconds - 10),
                    nonce: F.nonce, email: "ada@example.com", emailVerified: true, isPrivateEmail: false,
                    name: "Ada Lovelace", givenName: "Ada", familyName: "Lovelace"))
        // Printed (a log line, a failing test), the claims show no email or name.
        #expect(!String(describing: claims).contains("ada@") && !String(reflecting: claims).contains("Lovelace"))
    }

    @Test("an ES256 token verifies; Apple's string booleans are read")
    func es256AppleStyle() throws {
        let claims = F.claims(["email_verified": "true", "is_private_email": "true", "name": nil])
        let token = try F.token(signedBy: .es256(F.ecKey), keyID: F.ecKeyID, claims: claims)

        let verified = try F.verify(token)

        #expect(verified.emailVerified)
        #expect(verified.isPrivateEmail)
        #expect(verified.name == nil)
        #expect(verified.subject == "user-1234")
    }

    @Test(
        "email_verified and is_private_email are true only for true or \"true\"",
        arguments: [
            ("true", true), ("\"true\"", true), ("false", false), ("\"false\"", false), ("1", false),
            ("\"yes\"", false), (nil, false),
        ] as [(String?, Bool)])
    func flags(json: String?, expected: Bool) throws {
        let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let token = try F.token(claims: F.claims(["email_verified": value, "is_private_email": value]))

        let claims = try F.verify(token)

        #expect(claims.emailVerified == expected)
        #expect(claims.isPrivateEmail == expected)
    }

    @Test("exp and iat may be fractional")
    func fractionalTimes() throws {
        let seconds = F.now.timeIntervalSince1970
        let token = try F.token(claims: F.claims(["exp": seconds + 600.5, "iat": seconds - 0.25]))

        let claims = try F.verify(token)

        #expect(claims.expiresAt == Date(timeIntervalSince1970: seconds + 600.5))
        #expect(claims.issuedAt == Date(timeIntervalSince1970: seconds - 0.25))
    }

    @Test(
        "RS384, RS512 and PS256 tokens verify against an RSA key that names no alg",
        arguments: ["RS384", "RS512", "PS256"])
    func otherRSAAlgorithms(alg: String) throws {
        var jwk = try JSONWebKeyExport.jwk(for: .rs256(F.rsaKey), keyID: F.rsaKeyID)
        jwk["alg"] = nil
        let keys = try JSONWebKeySet(json: JSONWebKeyExport.keySet([jwk]))
        let token = try F.handBuilt(header: ["alg": alg, "kid": F.rsaKeyID]) { input in
            let signature =
                switch alg {
                case "RS384": try F.rsaKey.signature(for: SHA384.hash(data: input), padding: .insecurePKCS1v1_5)
                case "RS512": try F.rsaKey.signature(for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5)
                default: try F.rsaKey.signature(for: SHA256.hash(data: input), padding: .PSS)
                }
            return signature.rawRepresentation
        }

        #expect(try F.verify(token, keys: keys).subject == "user-1234")
    }

    @Test("a token without kid is accepted when the set holds exactly one key for its alg")
    func noKidSingleKey() throws {
        let token = try F.token(keyID: nil)

        #expect(try F.verify(token).subject == "user-1234")
        // The EC key in the default set cannot check an RS256 token, so the RSA key is the only candidate.
        #expect(try F.verify(token, keys: F.keySet()).subject == "user-1234")
    }

    @Test("several audiences are accepted when azp is the client id")
    func audienceArrayWithAuthorizedParty() throws {
        let token = try F.token(claims: F.claims(["aud": [F.clientID, "other-client"], "azp": F.clientID]))

        let claims = try F.verify(token)

        #expect(claims.audiences == [F.clientID, "other-client"])
        #expect(claims.authorizedParty == F.clientID)
    }

    @Test("exp just inside the clock skew and iat just ahead of the clock are accepted")
    func withinSkew() throws {
        let seconds = Int(F.now.timeIntervalSince1970)
        let token = try F.token(claims: F.claims(["exp": seconds - 30, "iat": seconds + 30]))

        #expect(try F.verify(token).subject == "user-1234")
    }

    @Test("JWSSigner puts alg from the key and kid in the header; extraHeader cannot replace them")
    func signerHeader() throws {
        let token = try JWSSigner.sign(
            claims: F.claims(), key: .rs256(F.rsaKey), keyID: F.rsaKeyID,
            extraHeader: ["typ": "JWT", "alg": "none", "kid": "forged"])

        let header = try F.jsonObject(F.parts(of: token).header)

        #expect(header["alg"] as? String == "RS256")
        #expect(header["kid"] as? String == F.rsaKeyID)
        #expect(header["typ"] as? String == "JWT")
        #expect(try F.verify(token).subject == "user-1234")
    }

    @Test("exported JWKs carry the public key in RFC 7518 form")
    func export() throws {
        let rsa = try JSONWebKeyExport.jwk(for: .rs256(F.rsaKey), keyID: "r")
        let ec = try JSONWebKeyExport.jwk(for: .es256(F.ecKey), keyID: "e")

        #expect(rsa["kty"] == "RSA" && rsa["alg"] == "RS256" && rsa["use"] == "sig" && rsa["kid"] == "r")
        #expect(rsa["e"] == "AQAB")
        #expect(F.fromBase64URL(rsa["n"] ?? "")?.count == 256)
        #expect(ec["kty"] == "EC" && ec["crv"] == "P-256" && ec["alg"] == "ES256" && ec["kid"] == "e")
        let x = F.fromBase64URL(ec["x"] ?? "")
        let y = F.fromBase64URL(ec["y"] ?? "")
        #expect(x.flatMap { x in y.map { x + $0 } } == F.ecKey.publicKey.rawRepresentation)
    }
}
