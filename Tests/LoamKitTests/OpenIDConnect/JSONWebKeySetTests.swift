import Crypto
import CryptoExtras
import Foundation
import LoamKit
import Testing

@Suite("JSONWebKeySet")
struct JSONWebKeySetTests {
    typealias F = OIDCFixtures

    @Test("keys Loam cannot use are skipped; the others are kept")
    func skipsUnusableKeys() throws {
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        var encryption = try JSONWebKeyExport.jwk(for: .rs256(F.otherRSAKey), keyID: "enc")
        encryption["use"] = "enc"
        encryption["alg"] = "RSA-OAEP"
        var offCurve = try JSONWebKeyExport.jwk(for: .es256(F.ecKey), keyID: "off-curve")
        offCurve["y"] = offCurve["x"]
        var p384 = try JSONWebKeyExport.jwk(for: .es256(F.ecKey), keyID: "p384")
        p384["crv"] = "P-384"
        let keys = [
            try JSONWebKeyExport.jwk(for: .rs256(weak), keyID: "weak"),
            try JSONWebKeyExport.jwk(for: .rs256(F.rsaKey), keyID: "good-rsa"),
            encryption, offCurve, p384,
            ["kty": "oct", "k": "c2VjcmV0", "kid": "hmac"],
            try JSONWebKeyExport.jwk(for: .es256(F.ecKey), keyID: "good-ec"),
        ]

        let set = try JSONWebKeySet(json: JSONWebKeyExport.keySet(keys))

        #expect(set.keyIDs == ["good-rsa", "good-ec"])
        let weakToken = try F.token(signedBy: .rs256(weak), keyID: "weak")
        #expect(throws: IDTokenError.unknownKey("weak")) { try F.verify(weakToken, keys: set) }
    }

    @Test("a key with use enc is skipped even when it would verify the token")
    func encryptionKeyDoesNotVerify() throws {
        var jwk = try JSONWebKeyExport.jwk(for: .rs256(F.rsaKey), keyID: F.rsaKeyID)
        jwk["use"] = "enc"
        let set = try JSONWebKeySet(json: JSONWebKeyExport.keySet([jwk]))

        #expect(set.isEmpty)
        #expect(throws: IDTokenError.unknownKey(F.rsaKeyID)) { try F.verify(F.token(), keys: set) }
    }

    @Test("an empty key list is a valid, empty set")
    func empty() throws {
        let set = try JSONWebKeySet(json: Data(#"{"keys": []}"#.utf8))

        #expect(set.isEmpty)
        #expect(set.keyIDs.isEmpty)
    }

    @Test(
        "a document that is not {\"keys\": [...]} is malformed",
        arguments: ["", "not json", "[]", "{}", #"{"keys": {}}"#, #"{"keys": "x"}"#, "null"])
    func malformed(document: String) {
        #expect(throws: IDTokenError.malformed("jwks")) { try JSONWebKeySet(json: Data(document.utf8)) }
    }
}
