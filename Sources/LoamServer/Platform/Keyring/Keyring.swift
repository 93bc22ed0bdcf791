import Fluent
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Vapor

/// Hands out each owner's data key, creating it on first use and storing it only wrapped by the master key.
///
/// Features never see a data key: they ask for a field cipher or a blind index for an owner.
/// Unwrapped keys are cached in memory for a short time so a request that seals many fields does
/// not query the table for each; `destroyKey` evicts at once in this process, and other processes
/// drop their copy within `cacheLifetime`.
public final class Keyring: Sendable {
    public let masterKeys: MasterKeyring
    let cacheLifetime: TimeInterval
    private let clock: LoamClock
    private let cache = NIOLockedValueBox<[OwnerID: CachedKey]>([:])

    struct CachedKey {
        var key: DataKey
        var generation: UInt32
        var loadedAt: Date
    }

    public init(masterKeys: MasterKeyring, clock: LoamClock, cacheLifetime: TimeInterval = 60) {
        self.masterKeys = masterKeys
        self.clock = clock
        self.cacheLifetime = cacheLifetime
    }

    /// The cipher for `owner`'s sealed fields.
    public func fieldCipher(for owner: OwnerID, on database: any Database) async throws -> FieldCipher {
        let entry = try await dataKey(for: owner, on: database)
        return FieldCipher(dataKey: entry.key, keyID: entry.generation)
    }

    /// The blind index for `owner`'s searchable sealed fields.
    public func blindIndex(for owner: OwnerID, on database: any Database) async throws -> BlindIndex {
        BlindIndex(dataKey: try await dataKey(for: owner, on: database).key)
    }

    /// Derives link secrets (invitation links) under `owner`'s data key.
    public func linkSecret(for owner: OwnerID, on database: any Database) async throws -> LinkSecret {
        LinkSecret(dataKey: try await dataKey(for: owner, on: database).key)
    }

    /// Deletes `owner`'s data key: everything sealed under it becomes unreadable, in backups too.
    public func destroyKey(for owner: OwnerID, on database: any Database) async throws {
        try await database.serializedWrite {
            try await DataKeyRecord.query(on: database)
                .filter(\.$ownerKind == owner.kind.rawValue)
                .filter(\.$ownerID == owner.id)
                .delete()
        }
        _ = cache.withLockedValue { $0.removeValue(forKey: owner) }
    }

    /// Re-wraps every data key not wrapped by the current master key; returns how many changed.
    /// Each row is re-wrapped on its own, so an interrupted rotation simply runs again.
    public func rewrapAll(on database: any Database) async throws -> Int {
        let currentID = Int64(masterKeys.current.keyID)
        let stale = try await DataKeyRecord.query(on: database).filter(\.$masterKeyID != currentID).all()
        for record in stale {
            let owner = try ownerID(of: record)
            record.wrappedKey = try masterKeys.rewrap(record.wrappedKey, owner: owner)
            record.masterKeyID = currentID
            try await database.serializedWrite { try await record.save(on: database) }
        }
        cache.withLockedValue { $0.removeAll() }
        return stale.count
    }

    func dataKey(for owner: OwnerID, on database: any Database) async throws -> CachedKey {
        let now = clock.now()
        if let cached = cache.withLockedValue({ $0[owner] }), now.timeIntervalSince(cached.loadedAt) < cacheLifetime {
            return cached
        }
        let entry = try await loadOrCreate(owner, on: database, now: now)
        cache.withLockedValue { $0[owner] = entry }
        return entry
    }

    private func loadOrCreate(_ owner: OwnerID, on database: any Database, now: Date) async throws -> CachedKey {
        if let existing = try await find(owner, on: database) {
            return try unwrap(existing, owner: owner, now: now)
        }
        let key = DataKey.generate()
        let record = DataKeyRecord(
            ownerKind: owner.kind.rawValue, ownerID: owner.id, generation: 1,
            masterKeyID: masterKeys.current.keyID, wrappedKey: try masterKeys.wrap(key, owner: owner))
        do {
            try await database.serializedWrite { try await record.create(on: database) }
            return CachedKey(key: key, generation: 1, loadedAt: now)
        } catch {
            // Another request or process created this owner's key first: use theirs.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                let winner = try await find(owner, on: database)
            else { throw error }
            return try unwrap(winner, owner: owner, now: now)
        }
    }

    private func find(_ owner: OwnerID, on database: any Database) async throws -> DataKeyRecord? {
        try await DataKeyRecord.query(on: database)
            .filter(\.$ownerKind == owner.kind.rawValue)
            .filter(\.$ownerID == owner.id)
            .first()
    }

    private func unwrap(_ record: DataKeyRecord, owner: OwnerID, now: Date) throws -> CachedKey {
        do {
            let key = try masterKeys.unwrap(record.wrappedKey, owner: owner)
            return CachedKey(key: key, generation: UInt32(clamping: record.generation), loadedAt: now)
        } catch {
            throw KeyringError.unreadableDataKey(owner: owner.description, reason: error)
        }
    }

    private func ownerID(of record: DataKeyRecord) throws -> OwnerID {
        guard let kind = OwnerID.Kind(rawValue: record.ownerKind) else {
            throw KeyringError.unknownOwnerKind(record.ownerKind)
        }
        return OwnerID(kind: kind, id: record.ownerID)
    }
}

/// A stored data key that cannot be used. Always a server error: the data is intact but the
/// master key configured does not open it (a wrong `LOAM_MASTER_KEY`, a row copied or tampered with).
public enum KeyringError: Error, CustomStringConvertible {
    case unreadableDataKey(owner: String, reason: KeyWrapError)
    case unknownOwnerKind(String)

    public var description: String {
        switch self {
        case .unreadableDataKey(let owner, let reason): "data key of \(owner) cannot be unwrapped: \(reason)"
        case .unknownOwnerKind(let kind): "data key row has an unknown owner kind \(kind)"
        }
    }
}

extension Application {
    private struct KeyringKey: StorageKey {
        typealias Value = Keyring
    }

    private struct PasswordHasherKey: StorageKey {
        typealias Value = LoamKit.PasswordHasher
    }

    /// The keyring, set up by `configure`.
    public var keyring: Keyring {
        get {
            return configured(KeyringKey.self)
        }
        set { storage[KeyringKey.self] = newValue }
    }

    /// The password hasher at the configured cost.
    public var passwordHashing: LoamKit.PasswordHasher {
        get {
            return configured(PasswordHasherKey.self)
        }
        set { storage[PasswordHasherKey.self] = newValue }
    }
}
