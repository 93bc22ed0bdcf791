import Foundation

/// The current master key plus retired ones still needed to unwrap old data keys.
///
/// Rotation: start with the new key as `current` and the old one in `retired`, re-wrap every
/// stored data key with ``rewrap(_:owner:)`` where ``needsRewrap(_:)`` says so, then drop the
/// old key. User data is never re-encrypted.
public struct MasterKeyring: Sendable {
    public let current: MasterKey
    private let byID: [UInt32: MasterKey]

    public init(current: MasterKey, retired: [MasterKey] = []) {
        self.current = current
        var byID: [UInt32: MasterKey] = [:]
        // The current key wins if a retired key has the same id (the same key listed twice).
        for key in [current] + retired where byID[key.keyID] == nil {
            byID[key.keyID] = key
        }
        self.byID = byID
    }

    /// Wraps with the current master key.
    public func wrap(_ dataKey: DataKey, owner: OwnerID) throws(KeyWrapError) -> Data {
        try current.wrap(dataKey, owner: owner)
    }

    /// Unwraps with whichever key in the ring wrapped `wrapped`.
    public func unwrap(_ wrapped: Data, owner: OwnerID) throws(KeyWrapError) -> DataKey {
        let id = try MasterKey.keyID(ofWrapped: wrapped)
        guard let key = byID[id] else { throw .unknownMasterKey(id) }
        return try key.unwrap(wrapped, owner: owner)
    }

    /// True when `wrapped` was not made by the current master key (or cannot be read at all).
    public func needsRewrap(_ wrapped: Data) -> Bool {
        (try? MasterKey.keyID(ofWrapped: wrapped)) != current.keyID
    }

    /// Unwraps with the ring and wraps again with the current key.
    public func rewrap(_ wrapped: Data, owner: OwnerID) throws(KeyWrapError) -> Data {
        try wrap(unwrap(wrapped, owner: owner), owner: owner)
    }
}
