import Crypto
import CryptoExtras
import Foundation
import LoamKit
import Testing

@Suite("AppleClientSecret")
struct AppleClientSecretTests {
    typealias F = OIDCFixtures
    static let teamID = "TEAM123456"
    static let keyID = "KEY1234567"
    static let clientID = "com.example.loam.web"
    static let now = Date(timeIntervalSince1970: 1_750_000_000.7)

    @Test("a secret from Apple's PKCS#8 key is an ES256 JWT with the documented header and claims")
    func pkcs8() throws {
        let key = P256.Signing.PrivateKey()
        let secret = try AppleClientSecret(teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: key.pemRepresentation)

        let jwt = try secret.make(clientID: Self.clientID, now: Self.now)

        try Self.expectValid(jwt, publicKey: key.publicKey, lifetime: 3600)
    }

    @Test("a SEC1 key (BEGIN EC PRIVATE KEY) works too")
    func sec1() throws {
        let key = P256.Signing.PrivateKey()
        // ECPrivateKey (RFC 5915): SEQUENCE { INTEGER 1, OCTET STRING key, [0] OID prime256v1 }.
        let der =
            Data([0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20]) + key.rawRepresentation
            + Data([0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07])
        let pem = "-----BEGIN EC PRIVATE KEY-----\n\(Self.pemBody(der))\n-----END EC PRIVATE KEY-----\n"
        let secret = try AppleClientSecret(teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: pem)

        let jwt = try secret.make(clientID: Self.clientID, now: Self.now, lifetime: 600)

        try Self.expectValid(jwt, publicKey: key.publicKey, lifetime: 600)
    }

    @Test("a PEM pasted into an environment variable with literal \\n or with CRLF still reads")
    func mangledLineBreaks() throws {
        let key = P256.Signing.PrivateKey()
        let escaped = key.pemRepresentation.replacingOccurrences(of: "\n", with: "\\n")
        let crlf = key.pemRepresentation.replacingOccurrences(of: "\n", with: "\r\n")

        for pem in [escaped, crlf] {
            let secret = try AppleClientSecret(teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: pem)
            try Self.expectValid(
                try secret.make(clientID: Self.clientID, now: Self.now), publicKey: key.publicKey, lifetime: 3600)
        }
    }

    @Test("text that is not a P-256 private key is refused, and the error never repeats it")
    func notAKey() throws {
        let p256 = P256.Signing.PrivateKey()
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let cases: [(String, AppleClientSecretError)] = [
            (p256.publicKey.pemRepresentation, .notAPrivateKeyPEM),
            ("MHcCAQEEIBx0c2VjcmV0LWtleS1tYXRlcmlhbA", .notAPrivateKeyPEM),
            (rsa.pkcs8PEMRepresentation, .unreadableKey),
            ("-----BEGIN PRIVATE KEY-----\nQUJDRA==\n-----END PRIVATE KEY-----", .unreadableKey),
        ]

        for (pem, expected) in cases {
            let error = #expect(throws: AppleClientSecretError.self) {
                try AppleClientSecret(teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: pem)
            }

            #expect(error == expected)
            let description = try #require(error).description
            #expect(description.contains("expected"))
            for line in pem.split(whereSeparator: \.isNewline) where !line.hasPrefix("-----") {
                #expect(!description.contains(line))
            }
        }
    }

    @Test("a lifetime beyond Apple's six months, or an empty id, is refused")
    func limits() throws {
        let key = P256.Signing.PrivateKey()
        let secret = try AppleClientSecret(teamID: Self.teamID, keyID: Self.keyID, privateKeyPEM: key.pemRepresentation)

        #expect(throws: AppleClientSecretError.lifetimeOutOfRange) {
            try secret.make(clientID: Self.clientID, now: Self.now, lifetime: AppleClientSecret.maximumLifetime + 1)
        }
        #expect(throws: AppleClientSecretError.lifetimeOutOfRange) {
            try secret.make(clientID: Self.clientID, now: Self.now, lifetime: 0)
        }
        #expect(throws: Never.self) {
            try secret.make(clientID: Self.clientID, now: Self.now, lifetime: AppleClientSecret.maximumLifetime)
        }
        #expect(throws: AppleClientSecretError.missingIdentifier("team id")) {
            try AppleClientSecret(teamID: "", keyID: Self.keyID, privateKeyPEM: key.pemRepresentation)
        }
    }

    /// Checks `jwt` the way Apple would: header, claims, and the r||s signature under `publicKey`.
    static func expectValid(_ jwt: String, publicKey: P256.Signing.PublicKey, lifetime: Int) throws {
        let parts = try F.parts(of: jwt)
        let header = try F.jsonObject(parts.header)
        let claims = try F.jsonObject(parts.payload)

        #expect(Set(header.keys) == ["alg", "kid"])
        #expect(header["alg"] as? String == "ES256")
        #expect(header["kid"] as? String == keyID)
        #expect(Set(claims.keys) == ["iss", "iat", "exp", "aud", "sub"])
        #expect(claims["iss"] as? String == teamID)
        #expect(claims["sub"] as? String == clientID)
        #expect(claims["aud"] as? String == "https://appleid.apple.com")
        #expect(claims["iat"] as? Int == 1_750_000_000)
        #expect(claims["exp"] as? Int == 1_750_000_000 + lifetime)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: parts.signature)
        let signingInput = Data(jwt.split(separator: ".").prefix(2).joined(separator: ".").utf8)
        #expect(publicKey.isValidSignature(signature, for: signingInput))
    }

    /// Base64 in 64-character lines joined by "\n", as PEM wants.
    static func pemBody(_ der: Data) -> String {
        let text = der.base64EncodedString()
        return stride(from: 0, to: text.count, by: 64).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: "\n")
    }
}
