import Crypto
import Foundation

// Wrapped data key format, version 1 (65 bytes):
//
//   [0]      format version (0x01)
//   [1..<5]  master key id, big-endian UInt32
//   [5..<17] AES-GCM nonce
//   [17..<49] encrypted data key
//   [49..<65] GCM tag
//
// The associated data is the 5-byte header followed by the owner (label "loam/data-key/v1",
// kind, id), so a wrapped key copied to another owner's row, or with an edited header, fails
// to unwrap.
enum WrappedKeyFormat {
    static let version1: UInt8 = 0x01
    static let headerCount = 5
    static let totalCount = headerCount + 12 + DataKey.byteCount + 16

    static func header(masterKeyID: UInt32) -> Data {
        var header = Data([version1])
        ByteEncoding.appendBigEndian(masterKeyID, to: &header)
        return header
    }

    static func associatedData(header: Data, owner: OwnerID) -> Data {
        header + ByteEncoding.lengthPrefixed(label: "loam/data-key/v1", [owner.kind.rawValue, owner.id])
    }

    /// Checks the header and returns the master key id it names.
    static func masterKeyID(of wrapped: Data) throws(KeyWrapError) -> UInt32 {
        let bytes = [UInt8](wrapped)
        guard let version = bytes.first else { throw .truncated }
        guard version == version1 else { throw .unknownVersion(version) }
        guard bytes.count >= totalCount else { throw .truncated }
        guard let id = ByteEncoding.readBigEndianUInt32(bytes.dropFirst()) else { throw .truncated }
        return id
    }
}

extension MasterKey {
    /// Encrypts `dataKey` for storage, binding it to `owner`.
    public func wrap(_ dataKey: DataKey, owner: OwnerID) throws(KeyWrapError) -> Data {
        let header = WrappedKeyFormat.header(masterKeyID: keyID)
        let aad = WrappedKeyFormat.associatedData(header: header, owner: owner)
        do {
            let box = try AES.GCM.seal(dataKey.rawBytes, using: key, authenticating: aad)
            guard let combined = box.combined else { throw KeyWrapError.sealFailed }
            return header + combined
        } catch {
            throw .sealFailed
        }
    }

    /// Decrypts a key made by ``wrap(_:owner:)`` for the same `owner`.
    ///
    /// Throws ``KeyWrapError/wrongMasterKey(expected:found:)`` when another master key wrapped
    /// it, and ``KeyWrapError/authenticationFailed`` when it was tampered with or belongs to
    /// another owner.
    public func unwrap(_ wrapped: Data, owner: OwnerID) throws(KeyWrapError) -> DataKey {
        let found = try WrappedKeyFormat.masterKeyID(of: wrapped)
        guard found == keyID else { throw .wrongMasterKey(expected: keyID, found: found) }
        let bytes = [UInt8](wrapped)
        let header = Data(bytes[0..<WrappedKeyFormat.headerCount])
        let aad = WrappedKeyFormat.associatedData(header: header, owner: owner)
        let opened: Data
        do {
            let box = try AES.GCM.SealedBox(combined: Data(bytes[WrappedKeyFormat.headerCount...]))
            opened = try AES.GCM.open(box, using: key, authenticating: aad)
        } catch {
            throw .authenticationFailed
        }
        guard let dataKey = DataKey(rawBytes: opened) else { throw .authenticationFailed }
        return dataKey
    }

    /// The id of the master key that wrapped `wrapped`, read from its header.
    public static func keyID(ofWrapped wrapped: Data) throws(KeyWrapError) -> UInt32 {
        try WrappedKeyFormat.masterKeyID(of: wrapped)
    }
}
