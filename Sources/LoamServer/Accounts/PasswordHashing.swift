import LoamKit
import NIOCore
import NIOPosix
import Vapor

/// Hashes and checks passwords on the thread pool: 600,000 PBKDF2 rounds must not hold up the
/// threads that serve other requests.
struct PasswordHashing: Sendable {
    let hasher: LoamKit.PasswordHasher
    let threadPool: NIOThreadPool
    /// Checked against when no account has the address, so an unknown address costs the same
    /// time as a wrong password (no enumeration by timing). Made without hashing: a real hash of a
    /// random password cost every process start (`loam import` included) 600,000 PBKDF2 rounds.
    let decoy: String

    init(hasher: LoamKit.PasswordHasher, threadPool: NIOThreadPool) throws {
        self.hasher = hasher
        self.threadPool = threadPool
        self.decoy = hasher.decoyHash()
    }

    func hash(_ password: String) async throws -> String {
        try await threadPool.runIfActive { try hasher.hash(password) }
    }

    func verify(_ password: String, against phc: String?) async throws -> Bool {
        let target = phc ?? decoy
        let matches = try await threadPool.runIfActive { hasher.verify(password, against: target) }
        return matches && phc != nil
    }

    func needsRehash(_ phc: String) -> Bool { hasher.needsRehash(phc) }
}

extension Application {
    private struct PasswordHashingKey: StorageKey {
        typealias Value = PasswordHashing
    }

    private struct PasswordPolicyKey: StorageKey {
        typealias Value = PasswordPolicy
    }

    var passwordService: PasswordHashing {
        get {
            return configured(PasswordHashingKey.self)
        }
        set { storage[PasswordHashingKey.self] = newValue }
    }

    var passwordPolicy: PasswordPolicy {
        get {
            return configured(PasswordPolicyKey.self)
        }
        set { storage[PasswordPolicyKey.self] = newValue }
    }
}
