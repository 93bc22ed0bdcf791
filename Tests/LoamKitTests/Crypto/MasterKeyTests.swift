import Foundation
import LoamKit
import Testing

@Suite("MasterKey")
struct MasterKeyTests {
    @Test("a generated key round-trips through base64 with the same id")
    func roundTrip() throws {
        let key = MasterKey.generate()

        let loaded = try MasterKey(base64: key.base64)

        #expect(loaded.base64 == key.base64)
        #expect(loaded.keyID == key.keyID)
        #expect(Data(base64Encoded: key.base64)?.count == 32)
    }

    @Test("generated keys differ")
    func generatedKeysDiffer() {
        #expect(MasterKey.generate().base64 != MasterKey.generate().base64)
    }

    @Test("a key file's trailing newline and missing padding are accepted")
    func tolerantInput() throws {
        let text = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="

        #expect(try MasterKey(base64: text + "\n").base64 == text)
        #expect(try MasterKey(base64: String(text.dropLast())).base64 == text)
    }

    @Test("bad base64 is a typed error")
    func invalidBase64() {
        for text in [
            "", "not base64!", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=%",
            "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=A",
        ] {
            #expect(throws: MasterKeyError.self) { try MasterKey(base64: text) }
        }
        #expect(throws: MasterKeyError.invalidBase64) { try MasterKey(base64: "not base64!") }
    }

    @Test("a key of the wrong length is a typed error naming the length")
    func wrongLength() {
        #expect(throws: MasterKeyError.wrongLength(16)) {
            try MasterKey(base64: Data(repeating: 7, count: 16).base64EncodedString())
        }
        #expect(throws: MasterKeyError.wrongLength(33)) {
            try MasterKey(base64: Data(repeating: 7, count: 33).base64EncodedString())
        }
    }

    @Test("printing a key never shows the key")
    func redacted() {
        let key = MasterKey.generate()

        #expect(!"\(key)".contains(key.base64))
        #expect(!String(reflecting: key).contains(key.base64))
        #expect("\(key)".contains("\(key.keyID)"))
    }
}
