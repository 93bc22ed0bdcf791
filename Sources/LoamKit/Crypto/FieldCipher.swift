import Crypto
import Foundation

/// Seals and opens sensitive column values with AES-256-GCM under an owner's data key.
///
/// Sealed format, version 1 (34 bytes plus the plaintext):
///
///     [0]       format version (0x01)
///     [1]       algorithm (0x01 = AES-256-GCM, key = HKDF(data key, "loam/field/aes-256-gcm/v1"))
///     [2..<6]   data key id, big-endian UInt32
///     [6..<18]  random nonce
///     [18..<n-16] ciphertext
///     [n-16..<n] GCM tag
///
/// The associated data is the 6-byte header followed by the ``FieldContext``, so the header
/// cannot be edited and the value cannot move. The key id lets an owner's data key rotate:
/// read it with ``keyID(of:)`` to pick the right cipher.
public struct FieldCipher: Sendable {
    /// The format version this build writes.
    public static let currentVersion: UInt8 = 0x01
    /// Algorithm id for AES-256-GCM with a 96-bit random nonce.
    public static let aes256GCM: UInt8 = 0x01

    static let headerCount = 6
    static let nonceCount = 12
    static let tagCount = 16
    /// Bytes a sealed value adds to its plaintext.
    public static let overhead = headerCount + nonceCount + tagCount

    /// The id of the data key this cipher seals with, written into every sealed value.
    public let keyID: UInt32
    private let key: SymmetricKey

    /// - Parameters:
    ///   - dataKey: the owner's data key.
    ///   - keyID: the id the server stores with that data key; it changes when the key rotates.
    public init(dataKey: DataKey, keyID: UInt32) {
        self.keyID = keyID
        self.key = dataKey.derivedKey(label: "loam/field/aes-256-gcm/v1")
    }

    /// Seals UTF-8 text.
    public func seal(_ plaintext: String, context: FieldContext) throws(FieldCipherError) -> Data {
        try seal(Data(plaintext.utf8), context: context)
    }

    /// Seals bytes. A fresh random nonce is used every time, so equal plaintexts seal differently.
    public func seal(_ plaintext: Data, context: FieldContext) throws(FieldCipherError) -> Data {
        var header = Data([Self.currentVersion, Self.aes256GCM])
        ByteEncoding.appendBigEndian(keyID, to: &header)
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: Self.associatedData(header, context))
            guard let combined = box.combined else { throw FieldCipherError.sealFailed }
            return header + combined
        } catch {
            throw .sealFailed
        }
    }

    /// Opens a value made by ``seal(_:context:)`` with the same context.
    public func open(_ sealed: Data, context: FieldContext) throws(FieldCipherError) -> Data {
        let bytes = [UInt8](sealed)
        let found = try Self.keyID(of: sealed)
        guard found == keyID else { throw .wrongKeyID(expected: keyID, found: found) }
        guard bytes.count >= Self.overhead else { throw .truncated }
        let header = Data(bytes[0..<Self.headerCount])
        do {
            let box = try AES.GCM.SealedBox(combined: Data(bytes[Self.headerCount...]))
            return try AES.GCM.open(box, using: key, authenticating: Self.associatedData(header, context))
        } catch {
            throw .authenticationFailed
        }
    }

    /// Opens a value sealed from a `String`.
    public func openString(_ sealed: Data, context: FieldContext) throws(FieldCipherError) -> String {
        let bytes = try open(sealed, context: context)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    /// Checks the header of a sealed value and returns the data key id it names.
    public static func keyID(of sealed: Data) throws(FieldCipherError) -> UInt32 {
        let bytes = [UInt8](sealed.prefix(headerCount))
        guard let version = bytes.first else { throw .truncated }
        guard version == currentVersion else { throw .unknownVersion(version) }
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[1] == aes256GCM else { throw .unknownAlgorithm(bytes[1]) }
        guard let id = ByteEncoding.readBigEndianUInt32(bytes.dropFirst(2)) else { throw .truncated }
        return id
    }

    static func associatedData(_ header: Data, _ context: FieldContext) -> Data {
        header
            + ByteEncoding.lengthPrefixed(
                label: "loam/field/v1",
                [context.table, context.column, context.rowID, context.owner.kind.rawValue, context.owner.id]
            )
    }
}
