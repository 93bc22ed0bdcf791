import Fluent
import Foundation
import LoamKit
import Logging
import Testing
import Vapor

@testable import LoamServer

@Suite("Keyring: data keys per owner, wrapped by the master key")
struct KeyringTests {
    let context = FieldContext(table: "notes", column: "body", rowID: "note-1", owner: .user("alice"))

    @Test("An owner's data key is created once, stored wrapped, and reused by a fresh keyring")
    func createdOnceAndPersisted() async throws {
        try await withLoamApp { app in
            let alice = OwnerID.user("alice")
            let sealed = try await app.keyring.fieldCipher(for: alice, on: app.db).seal(
                "met at the dairy", context: context)
            #expect(try await DataKeyRecord.query(on: app.db).count() == 1)

            // A second process would start with an empty cache: same master key, same row, same key.
            let fresh = Keyring(masterKeys: app.keyring.masterKeys, clock: app.clock)
            let opened = try await fresh.fieldCipher(for: alice, on: app.db).openString(sealed, context: context)
            #expect(opened == "met at the dairy")
            #expect(try await DataKeyRecord.query(on: app.db).count() == 1)

            let record = try #require(try await DataKeyRecord.query(on: app.db).first())
            #expect(record.ownerKind == "user" && record.ownerID == "alice")
            #expect(record.masterKeyID == Int64(app.keyring.masterKeys.current.keyID))
            #expect(record.wrappedKey.count > DataKey.byteCount)
        }
    }

    @Test("Owners get different keys: another owner's cipher cannot open the field")
    func ownersAreSeparate() async throws {
        try await withLoamApp { app in
            let sealed = try await app.keyring.fieldCipher(for: .user("alice"), on: app.db)
                .seal("private", context: context)
            let bob = try await app.keyring.fieldCipher(for: .user("bob"), on: app.db)
            #expect(throws: FieldCipherError.self) { try bob.open(sealed, context: context) }
            let workspace = try await app.keyring.fieldCipher(for: .workspace("alice"), on: app.db)
            #expect(throws: FieldCipherError.self) { try workspace.open(sealed, context: context) }
            #expect(try await DataKeyRecord.query(on: app.db).count() == 3)
        }
    }

    @Test("Attack: Alice's wrapped key copied into Bob's row does not unwrap as Bob's key")
    func swappedWrappedKeyFails() async throws {
        try await withLoamApp { app in
            _ = try await app.keyring.fieldCipher(for: .user("alice"), on: app.db)
            _ = try await app.keyring.fieldCipher(for: .user("bob"), on: app.db)
            let alice = try #require(try await DataKeyRecord.query(on: app.db).filter(\.$ownerID == "alice").first())
            let bob = try #require(try await DataKeyRecord.query(on: app.db).filter(\.$ownerID == "bob").first())
            bob.wrappedKey = alice.wrappedKey
            try await bob.save(on: app.db)

            let fresh = Keyring(masterKeys: app.keyring.masterKeys, clock: app.clock)
            await #expect(throws: KeyringError.self) {
                _ = try await fresh.fieldCipher(for: .user("bob"), on: app.db)
            }
        }
    }

    @Test("A different master key cannot open the stored data keys")
    func wrongMasterKey() async throws {
        try await withLoamApp { app in
            _ = try await app.keyring.fieldCipher(for: .user("alice"), on: app.db)
            let stranger = Keyring(masterKeys: MasterKeyring(current: .generate()), clock: app.clock)
            await #expect(throws: KeyringError.self) {
                _ = try await stranger.fieldCipher(for: .user("alice"), on: app.db)
            }
        }
    }

    @Test("Destroying an owner's key makes their sealed data unreadable for good (crypto-shredding)")
    func destroyKey() async throws {
        try await withLoamApp { app in
            let alice = OwnerID.user("alice")
            let sealed = try await app.keyring.fieldCipher(for: alice, on: app.db).seal("secret", context: context)
            try await app.keyring.destroyKey(for: alice, on: app.db)
            #expect(try await DataKeyRecord.query(on: app.db).count() == 0)
            // A new key may be made for the id later; it does not open the old data.
            let next = try await app.keyring.fieldCipher(for: alice, on: app.db)
            #expect(throws: FieldCipherError.self) { try next.open(sealed, context: context) }
        }
    }

    @Test("Rotation: with the old key retired, every data key is re-wrapped and the data still opens")
    func masterKeyRotation() async throws {
        try await withLoamApp { app in
            let old = app.keyring.masterKeys.current
            let sealed = try await app.keyring.fieldCipher(for: .user("alice"), on: app.db).seal(
                "kept", context: context)
            _ = try await app.keyring.fieldCipher(for: .workspace("w1"), on: app.db)

            let new = MasterKey.generate()
            let rotating = Keyring(masterKeys: MasterKeyring(current: new, retired: [old]), clock: app.clock)
            #expect(try await rotating.rewrapAll(on: app.db) == 2)
            #expect(try await rotating.rewrapAll(on: app.db) == 0)

            // After rotation the old key is no longer needed, and no longer works.
            let newOnly = Keyring(masterKeys: MasterKeyring(current: new), clock: app.clock)
            #expect(
                try await newOnly.fieldCipher(for: .user("alice"), on: app.db).openString(sealed, context: context)
                    == "kept")
            let oldOnly = Keyring(masterKeys: MasterKeyring(current: old), clock: app.clock)
            await #expect(throws: KeyringError.self) {
                _ = try await oldOnly.fieldCipher(for: .user("alice"), on: app.db)
            }
        }
    }

    @Test("Many requests for a new owner's key at once create exactly one key")
    func concurrentCreation() async throws {
        try await withLoamApp { app in
            let masterKeys = app.keyring.masterKeys
            let clock = app.clock
            let db = app.db
            let ciphers = try await withThrowingTaskGroup(of: FieldCipher.self) { group in
                for _ in 0..<16 {
                    // Separate keyrings: no shared cache, as with separate processes.
                    group.addTask {
                        try await Keyring(masterKeys: masterKeys, clock: clock).fieldCipher(for: .user("carol"), on: db)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await DataKeyRecord.query(on: app.db).count() == 1)
            let sealed = try ciphers[0].seal("same key", context: context)
            for cipher in ciphers {
                #expect(try cipher.openString(sealed, context: context) == "same key")
            }
        }
    }

    @Test("Another process's destroyed key leaves this process's cache within the cache lifetime")
    func cacheExpires() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let alice = OwnerID.user("alice")
            let sealed = try await app.keyring.fieldCipher(for: alice, on: app.db).seal("x", context: context)
            // Another process destroys the key.
            let other = Keyring(masterKeys: app.keyring.masterKeys, clock: clock)
            try await other.destroyKey(for: alice, on: app.db)
            time.advance(by: app.keyring.cacheLifetime + 1)
            let reloaded = try await app.keyring.fieldCipher(for: alice, on: app.db)
            #expect(throws: FieldCipherError.self) { try reloaded.open(sealed, context: context) }
        }
    }

    @Test("Passwords are hashed at the configured cost and verified")
    func passwordHashing() async throws {
        try await withLoamApp { app in
            let hash = try app.passwordHashing.hash("correct horse")
            #expect(hash.hasPrefix("$pbkdf2-sha256$i=1000$"))
            #expect(app.passwordHashing.verify("correct horse", against: hash))
            #expect(!app.passwordHashing.verify("correct horsf", against: hash))
        }
    }
}

@Suite("Master key loading")
struct MasterKeyLoadingTests {
    private func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("loam-key-\(UUID().uuidString)").path
    }

    @Test("With no LOAM_MASTER_KEY a key file is created with mode 0600, a warning is logged, and it is reused")
    func keyFileCreatedAndReused() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/master.key"
        let logs = LogCapture()
        let first = try MasterKeyLoader.load(.keyFile(path: path), logger: logs.logger())
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(logs.captured.contains { $0.hasPrefix("[warning]") && $0.contains("LOAM_MASTER_KEY") })
        let second = try MasterKeyLoader.load(.keyFile(path: path), logger: logs.logger())
        #expect(first.keyID == second.keyID)
        // The key itself is never logged.
        #expect(!logs.captured.contains { $0.contains(first.base64) || $0.contains(String(first.base64.prefix(20))) })
    }

    @Test("A key file that holds no key stops start-up naming LOAM_MASTER_KEY")
    func corruptKeyFile() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/master.key", contents: Data("not a key".utf8))
        let error = #expect(throws: ConfigurationError.self) {
            try MasterKeyLoader.load(.keyFile(path: dir + "/master.key"), logger: Logger(label: "test"))
        }
        #expect(error?.variable == "LOAM_MASTER_KEY")
    }

    @Test("LOAM_MASTER_KEY is used as given; a wrong length or bad base64 names the variable")
    func fromEnvironment() throws {
        let key = MasterKey.generate()
        let configuration = try LoamConfiguration.load(environment: ["LOAM_MASTER_KEY": key.base64])
        guard case .provided(let loaded) = configuration.masterKey else {
            Issue.record("expected the provided key")
            return
        }
        #expect(loaded.keyID == key.keyID)
        for bad in [
            Data(repeating: 7, count: 16).base64EncodedString(), Data(repeating: 7, count: 33).base64EncodedString(),
            "***",
        ] {
            let error = #expect(throws: ConfigurationError.self) {
                try LoamConfiguration.load(environment: ["LOAM_MASTER_KEY": bad])
            }
            #expect(error?.variable == "LOAM_MASTER_KEY")
        }
        let retired = #expect(throws: ConfigurationError.self) {
            try LoamConfiguration.load(environment: ["LOAM_MASTER_KEY_RETIRED": key.base64 + ",short"])
        }
        #expect(retired?.variable == "LOAM_MASTER_KEY_RETIRED")
    }

    @Test("LOAM_PASSWORD_ITERATIONS is never below 600,000 from the environment")
    func passwordIterations() throws {
        #expect(try LoamConfiguration.load(environment: [:]).passwordIterations == 600_000)
        #expect(
            try LoamConfiguration.load(environment: ["LOAM_PASSWORD_ITERATIONS": "900000"]).passwordIterations
                == 900_000)
        for bad in ["1000", "599999", "lots", "-1", "20000000"] {
            let error = #expect(throws: ConfigurationError.self) {
                try LoamConfiguration.load(environment: ["LOAM_PASSWORD_ITERATIONS": bad])
            }
            #expect(error?.variable == "LOAM_PASSWORD_ITERATIONS")
        }
    }
}
