import Foundation
import LoamKit
import Testing

@Suite("FieldCipher")
struct FieldCipherTests {
    let dataKey = DataKey.generate()
    let cipher: FieldCipher
    let context = FieldContext(table: "people", column: "notes", rowID: "row-1", owner: .user("user-1"))

    init() {
        cipher = FieldCipher(dataKey: dataKey, keyID: 1)
    }

    @Test("text round-trips, including empty and non-ASCII text")
    func roundTrip() throws {
        for text in ["Met at the Lisbon conference; likes jazz.", "", "Zoë Ångström 🌿 日本語"] {
            let sealed = try cipher.seal(text, context: context)

            #expect(sealed.count == Data(text.utf8).count + FieldCipher.overhead)
            #expect(try cipher.openString(sealed, context: context) == text)
        }
    }

    @Test("bytes round-trip and the header names version, algorithm and key id")
    func header() throws {
        let sealed = try FieldCipher(dataKey: dataKey, keyID: 0x0102_0304).seal(Data([0, 1, 2]), context: context)

        #expect(Array(sealed.prefix(6)) == [0x01, 0x01, 0x01, 0x02, 0x03, 0x04])
        #expect(try FieldCipher.keyID(of: sealed) == 0x0102_0304)
        #expect(
            try FieldCipher(dataKey: dataKey, keyID: 0x0102_0304).open(sealed, context: context) == Data([0, 1, 2]))
    }

    @Test("sealing the same text twice gives different bytes (random nonce)")
    func randomNonce() throws {
        #expect(try cipher.seal("same", context: context) != cipher.seal("same", context: context))
    }

    @Test("a ciphertext moved to another table, column, row or owner does not open")
    func moved() throws {
        let sealed = try cipher.seal("secret", context: context)
        var elsewhere: [FieldContext] = []
        for change in 0..<5 {
            var moved = context
            switch change {
            case 0: moved.table = "companies"
            case 1: moved.column = "name"
            case 2: moved.rowID = "row-2"
            case 3: moved.owner = .user("user-2")
            default: moved.owner = .workspace("user-1")
            }
            elsewhere.append(moved)
        }

        for moved in elsewhere {
            #expect(throws: FieldCipherError.authenticationFailed) { try cipher.open(sealed, context: moved) }
        }
    }

    @Test("context parts cannot be shifted between fields (length-prefixed associated data)")
    func ambiguousContext() throws {
        let sealed = try cipher.seal(
            "secret", context: FieldContext(table: "ab", column: "c", rowID: "1", owner: .user("u")))

        #expect(throws: FieldCipherError.authenticationFailed) {
            try cipher.open(sealed, context: FieldContext(table: "a", column: "bc", rowID: "1", owner: .user("u")))
        }
    }

    @Test("every flipped bit is rejected with the matching typed error")
    func flippedBits() throws {
        let sealed = try cipher.seal("Ada Lovelace, 10 Downing St", context: context)

        forEachFlippedBit(of: sealed) { index, tampered in
            let expected: FieldCipherError
            switch index {
            case 0: expected = .unknownVersion(tampered[0])
            case 1: expected = .unknownAlgorithm(tampered[1])
            case 2..<6: expected = .wrongKeyID(expected: 1, found: bigEndianUInt32(tampered, at: 2))
            default: expected = .authenticationFailed
            }
            #expect(throws: expected) { try cipher.open(Data(tampered), context: context) }
        }
    }

    @Test("the header is authenticated: an edited key id fails even for a cipher with that id")
    func headerIsAuthenticated() throws {
        var sealed = try cipher.seal("secret", context: context)
        sealed[sealed.startIndex + 5] = 0x02

        #expect(throws: FieldCipherError.authenticationFailed) {
            try FieldCipher(dataKey: dataKey, keyID: 2).open(sealed, context: context)
        }
    }

    @Test("every prefix of a sealed value is rejected without trapping")
    func truncated() throws {
        let sealed = try cipher.seal("Ada Lovelace", context: context)

        for length in 0..<sealed.count {
            // Shorter than header + nonce + tag cannot be a value; longer is a value with bytes missing.
            let expected: FieldCipherError = length < FieldCipher.overhead ? .truncated : .authenticationFailed
            #expect(throws: expected) { try cipher.open(sealed.prefix(length), context: context) }
        }
    }

    @Test("a value sealed under another key id, or another key with the same id, does not open")
    func wrongKey() throws {
        let sealed = try cipher.seal("secret", context: context)

        #expect(throws: FieldCipherError.wrongKeyID(expected: 2, found: 1)) {
            try FieldCipher(dataKey: dataKey, keyID: 2).open(sealed, context: context)
        }
        #expect(throws: FieldCipherError.authenticationFailed) {
            try FieldCipher(dataKey: .generate(), keyID: 1).open(sealed, context: context)
        }
    }

    @Test("unknown versions and algorithms are reported")
    func unknownFormat() throws {
        var sealed = try cipher.seal("secret", context: context)
        sealed[sealed.startIndex] = 0x02
        #expect(throws: FieldCipherError.unknownVersion(2)) { try cipher.open(sealed, context: context) }
        #expect(throws: FieldCipherError.unknownVersion(2)) { try FieldCipher.keyID(of: sealed) }

        sealed[sealed.startIndex] = 0x01
        sealed[sealed.startIndex + 1] = 0x09
        #expect(throws: FieldCipherError.unknownAlgorithm(9)) { try cipher.open(sealed, context: context) }
    }

    @Test("bytes that are not UTF-8 open as data but not as a string")
    func invalidUTF8() throws {
        let sealed = try cipher.seal(Data([0xff, 0xfe]), context: context)

        #expect(try cipher.open(sealed, context: context) == Data([0xff, 0xfe]))
        #expect(throws: FieldCipherError.invalidUTF8) { try cipher.openString(sealed, context: context) }
    }

    @Test("opening a slice of a larger buffer works (no assumption that indices start at zero)")
    func slice() throws {
        let sealed = try cipher.seal("secret", context: context)
        let buffer = Data([9, 9, 9]) + sealed
        let slice = buffer[buffer.startIndex + 3..<buffer.endIndex]

        #expect(try cipher.openString(slice, context: context) == "secret")
    }
}
