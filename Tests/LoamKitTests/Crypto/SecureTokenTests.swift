import Foundation
import LoamKit
import Testing

@Suite("SecureToken")
struct SecureTokenTests {
    @Test("a token is 256 random bits in unpadded base64url; its hash is SHA-256 in hex")
    func generate() throws {
        let (token, hash) = SecureToken.generate()

        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        #expect(Data(base64Encoded: standard)?.count == 32)
        #expect(hash == SecureToken.hash(token))
        #expect(hash.count == 64)
        #expect(SecureToken.isWellFormed(token))
    }

    @Test("tokens differ every time")
    func unique() {
        let tokens = (0..<100).map { _ in SecureToken.generate().token }

        #expect(Set(tokens).count == 100)
    }

    @Test("the hash is SHA-256 (FIPS 180-2 \"abc\" vector)")
    func knownAnswer() {
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(
        "junk is not a well-formed token",
        arguments: [
            "", "abc", String(repeating: "A", count: 44), String(repeating: "+", count: 43),
            String(repeating: "A", count: 42) + "=",
        ])
    func malformed(text: String) {
        #expect(!SecureToken.isWellFormed(text))
    }
}
