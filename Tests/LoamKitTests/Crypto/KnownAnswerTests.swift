import Crypto
import Foundation
import Testing

@testable import LoamKit

// Published vectors, each checked against Python's hashlib / cryptography before use, plus
// Loam-format vectors computed independently in Python (cryptography's HKDF and AESGCM, hmac)
// from the format descriptions in the source. The latter pin the stored formats: if one of
// them fails, data already in databases would no longer open.
@Suite("Known-answer vectors")
struct KnownAnswerTests {
    struct PBKDF2Vector: Sendable, CustomTestStringConvertible {
        var password: String
        var salt: String
        var iterations: Int
        var derivedKey: String
        var testDescription: String { "\(password)/\(salt) c=\(iterations)" }
    }

    // RFC 7914 §11 (the first two) and the widely used PBKDF2-HMAC-SHA256 vectors for
    // "password"/"salt".
    static let pbkdf2Vectors: [PBKDF2Vector] = [
        PBKDF2Vector(
            password: "passwd", salt: "salt", iterations: 1,
            derivedKey:
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        ),
        PBKDF2Vector(
            password: "Password", salt: "NaCl", iterations: 80_000,
            derivedKey:
                "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
        ),
        PBKDF2Vector(
            password: "password", salt: "salt", iterations: 1,
            derivedKey: "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
        PBKDF2Vector(
            password: "password", salt: "salt", iterations: 4096,
            derivedKey: "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
    ]

    @Test("PBKDF2-HMAC-SHA256 vectors verify through PasswordHasher", arguments: pbkdf2Vectors)
    func pbkdf2(vector: PBKDF2Vector) throws {
        let hasher = try PasswordHasher(iterations: 1, allowInsecureIterationsForTesting: true)
        let phc = PHCString(
            iterations: vector.iterations, salt: Array(vector.salt.utf8), hash: Array(Data(hex: vector.derivedKey))
        ).string

        #expect(hasher.verify(vector.password, against: phc))
        #expect(!hasher.verify(vector.password + "x", against: phc))
    }

    // Python: hashlib.pbkdf2_hmac("sha256", b"correct horse battery staple", b"loam-kat-salt-16", 600000, 32).
    static let productionCostPHC =
        "$pbkdf2-sha256$i=600000$bG9hbS1rYXQtc2FsdC0xNg$LIY3J61S1WiM8RwIEEEVE/afzVS2q3ArFuaMkS9m+wQ"

    struct GCMVector: Sendable {
        var name: String
        var key: String
        var nonce: String
        var plaintext: String
        var aad: String
        var ciphertext: String
        var tag: String
    }

    // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13–16 (AES-256).
    static let gcmVectors: [GCMVector] = [
        GCMVector(
            name: "13", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(
            name: "14", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16), aad: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(
            name: "15", key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            nonce: "cafebabefacedbaddecaf888",
            plaintext:
                "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
            aad: "",
            ciphertext:
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
            tag: "b094dac5d93471bdec1a502270e3cc6c"),
        GCMVector(
            name: "16", key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            nonce: "cafebabefacedbaddecaf888",
            plaintext:
                "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext:
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test("AES-256-GCM seals and opens the GCM spec vectors", arguments: gcmVectors.map(\.name))
    func aesGCM(name: String) throws {
        let vector = try #require(Self.gcmVectors.first { $0.name == name })
        let key = SymmetricKey(data: Data(hex: vector.key))
        let nonce = try AES.GCM.Nonce(data: Data(hex: vector.nonce))

        let box = try AES.GCM.seal(
            Data(hex: vector.plaintext), using: key, nonce: nonce, authenticating: Data(hex: vector.aad))

        #expect(box.ciphertext.hex == vector.ciphertext)
        #expect(box.tag.hex == vector.tag)
        let opened = try AES.GCM.open(box, using: key, authenticating: Data(hex: vector.aad))
        #expect(opened.hex == vector.plaintext)
    }

    // Python: master key bytes 0x20…0x3f, data key bytes 0x00…0x1f, owner user "u-1",
    // nonce 000102…0b.
    @Test("a wrapped data key made by an independent implementation unwraps")
    func wrappedKeyFormat() throws {
        let master = try MasterKey(base64: "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
        let wrapped = Data(
            hex:
                "016d3db0bc000102030405060708090a0b5c535fa44e30edebb4f0c3cd2a7e50330361fb777e04b0063c14c9a1a79cd58750f5c22fdf6628db303eff3f13d458fb"
        )

        let dataKey = try master.unwrap(wrapped, owner: .user("u-1"))

        #expect(master.keyID == 1_832_759_484)
        #expect(dataKey.rawBytes == Array(UInt8(0x00)...UInt8(0x1f)))
    }

    // Python: data key 0x00…0x1f, key id 7, people.name of row "row-1" owned by user "u-1".
    @Test("a field sealed by an independent implementation opens")
    func fieldFormat() throws {
        let dataKey = try #require(DataKey(rawBytes: Array(UInt8(0x00)...UInt8(0x1f))))
        let sealed = Data(
            hex: "010100000007a0a1a2a3a4a5a6a7a8a9aaab18592fb6b2252f2bc3681bd010d303848ad3d75dcb9f130dcbb13868")
        let context = FieldContext(table: "people", column: "name", rowID: "row-1", owner: .user("u-1"))

        let text = try FieldCipher(dataKey: dataKey, keyID: 7).openString(sealed, context: context)

        #expect(text == "Ada Lovelace")
    }

    @Test("a blind-index token matches an independent implementation")
    func blindIndexFormat() throws {
        let dataKey = try #require(DataKey(rawBytes: Array(UInt8(0x00)...UInt8(0x1f))))

        let tokens = BlindIndex(dataKey: dataKey).tokens(for: "José", column: "people.name")

        #expect(tokens == ["e1ffb7c77ee4ac66ab556103ab13c3e0"])
    }
}
