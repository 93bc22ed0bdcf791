import Foundation
import LoamKit
import Testing

@Suite("Data key wrapping")
struct KeyWrappingTests {
    let master = MasterKey.generate()
    let owner = OwnerID.user("0190f3b2-0000-7000-8000-000000000001")
    let context = FieldContext(
        table: "people", column: "name", rowID: "r1", owner: .user("0190f3b2-0000-7000-8000-000000000001"))

    /// Unwrapping is checked by behaviour: the unwrapped key must open what the original sealed.
    func expectSameKey(_ unwrapped: DataKey, as original: DataKey) throws {
        let sealed = try FieldCipher(dataKey: original, keyID: 1).seal("Ada", context: context)
        #expect(try FieldCipher(dataKey: unwrapped, keyID: 1).openString(sealed, context: context) == "Ada")
    }

    @Test("wrap then unwrap gives back the same data key")
    func roundTrip() throws {
        let dataKey = DataKey.generate()

        let wrapped = try master.wrap(dataKey, owner: owner)

        #expect(wrapped.count == 65)
        #expect(wrapped.first == 0x01)
        #expect(try MasterKey.keyID(ofWrapped: wrapped) == master.keyID)
        try expectSameKey(master.unwrap(wrapped, owner: owner), as: dataKey)
    }

    @Test("a wrapped key copied to another owner does not unwrap")
    func otherOwner() throws {
        let wrapped = try master.wrap(.generate(), owner: owner)

        #expect(throws: KeyWrapError.authenticationFailed) { try master.unwrap(wrapped, owner: .user("someone-else")) }
        #expect(throws: KeyWrapError.authenticationFailed) { try master.unwrap(wrapped, owner: .workspace(owner.id)) }
    }

    @Test("another master key is told apart by id")
    func otherMasterKey() throws {
        let other = MasterKey.generate()
        let wrapped = try master.wrap(.generate(), owner: owner)

        #expect(throws: KeyWrapError.wrongMasterKey(expected: other.keyID, found: master.keyID)) {
            try other.unwrap(wrapped, owner: owner)
        }
    }

    @Test("every flipped bit is rejected with a typed error")
    func flippedBits() throws {
        let wrapped = try master.wrap(.generate(), owner: owner)

        forEachFlippedBit(of: wrapped) { index, tampered in
            let expected: KeyWrapError
            switch index {
            case 0: expected = .unknownVersion(tampered[0])
            case 1..<5: expected = .wrongMasterKey(expected: master.keyID, found: bigEndianUInt32(tampered, at: 1))
            default: expected = .authenticationFailed
            }
            #expect(throws: expected) { try master.unwrap(Data(tampered), owner: owner) }
        }
    }

    @Test("every truncation is rejected; an extra byte fails authentication")
    func truncated() throws {
        let wrapped = try master.wrap(.generate(), owner: owner)

        for length in 0..<wrapped.count {
            #expect(throws: KeyWrapError.truncated) { try master.unwrap(wrapped.prefix(length), owner: owner) }
        }
        #expect(throws: KeyWrapError.authenticationFailed) { try master.unwrap(wrapped + [0], owner: owner) }
    }

    @Test("a format version this build does not know is reported")
    func unknownVersion() throws {
        var wrapped = try master.wrap(.generate(), owner: owner)
        wrapped[wrapped.startIndex] = 0x02

        #expect(throws: KeyWrapError.unknownVersion(2)) { try master.unwrap(wrapped, owner: owner) }
    }

    @Test("rotation: a keyring unwraps old keys, and rewrapping moves them to the new master key")
    func rotation() throws {
        let dataKey = DataKey.generate()
        let oldWrapped = try master.wrap(dataKey, owner: owner)
        let newMaster = MasterKey.generate()
        let ring = MasterKeyring(current: newMaster, retired: [master])

        #expect(ring.needsRewrap(oldWrapped))
        let rewrapped = try ring.rewrap(oldWrapped, owner: owner)

        #expect(!ring.needsRewrap(rewrapped))
        #expect(try MasterKey.keyID(ofWrapped: rewrapped) == newMaster.keyID)
        try expectSameKey(newMaster.unwrap(rewrapped, owner: owner), as: dataKey)
        try expectSameKey(ring.unwrap(oldWrapped, owner: owner), as: dataKey)
        #expect(throws: KeyWrapError.unknownMasterKey(master.keyID)) {
            try MasterKeyring(current: newMaster).unwrap(oldWrapped, owner: owner)
        }
    }
}
