import LoamKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Vapor

/// Hashes and checks passwords on a thread pool of their own, behind a bound on how many may wait.
///
/// 600,000 PBKDF2 rounds must not hold up the threads that serve other requests: SQLiteNIO runs every
/// query on the application's thread pool, so hashing there made a burst of sign-ins starve every
/// other user's queries (11 s, then connection-pool timeouts answered as 500). Here the hashes queue
/// on their own threads, and once `capacity` are running or waiting, further ones are refused at once
/// with `AccountError.hashingBusy` (503 with `Retry-After`) instead of queueing without end.
struct PasswordHashing: Sendable {
    let hasher: LoamKit.PasswordHasher
    let threadPool: NIOThreadPool
    let admission: Admission
    /// Checked against when no account has the address, so an unknown address costs the same
    /// time as a wrong password (no enumeration by timing). Made without hashing: a real hash of a
    /// random password cost every process start (`loam import` included) 600,000 PBKDF2 rounds.
    let decoy: String

    /// Hashes running or waiting at most (`LOAM_PASSWORD_HASH_QUEUE`).
    static let defaultCapacity = 256

    init(hasher: LoamKit.PasswordHasher, threadPool: NIOThreadPool, capacity: Int = Self.defaultCapacity) throws {
        self.hasher = hasher
        self.threadPool = threadPool
        self.admission = Admission(capacity: capacity)
        self.decoy = hasher.decoyHash()
    }

    func hash(_ password: String) async throws -> String {
        try await admitted { try hasher.hash(password) }
    }

    func verify(_ password: String, against phc: String?) async throws -> Bool {
        let target = phc ?? decoy
        let matches = try await admitted { hasher.verify(password, against: target) }
        return matches && phc != nil
    }

    func needsRehash(_ phc: String) -> Bool { hasher.needsRehash(phc) }

    private func admitted<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard admission.enter() else { throw AccountError.hashingBusy }
        defer { admission.leave() }
        return try await threadPool.runIfActive(work)
    }

    /// A counter of hashes running or waiting; `enter` fails when it is full.
    final class Admission: Sendable {
        let capacity: Int
        private let count = NIOLockedValueBox(0)

        init(capacity: Int) { self.capacity = max(1, capacity) }

        func enter() -> Bool {
            count.withLockedValue { value in
                guard value < capacity else { return false }
                value += 1
                return true
            }
        }

        func leave() { count.withLockedValue { $0 -= 1 } }
    }

    /// The pool for hashes: one thread fewer than the machine has cores (at least one), so a burst of
    /// sign-ins leaves a core to everything else.
    static func makeThreadPool() -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        return pool
    }
}

/// Shuts the hashing pool down with the application.
struct PasswordHashingLifecycle: LifecycleHandler {
    let pool: NIOThreadPool

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }
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
