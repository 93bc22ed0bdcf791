import NIOConcurrencyHelpers
import Vapor

/// How one component is doing, as `/readyz` reports it.
public enum ComponentState: String, Codable, Sendable, Comparable {
    case ok, degraded, down

    private var rank: Int {
        switch self {
        case .ok: 0
        case .degraded: 1
        case .down: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// A component `/readyz` asks about: the database first, later mail delivery, jobs, sync.
public protocol ReadinessCheck: Sendable {
    var name: String { get }
    /// When an essential component is down the whole service is down (503); any other component
    /// that is down only degrades it, because Loam still serves pages without it.
    var isEssential: Bool { get }
    func check(_ app: Application) async -> ComponentReport
}

public struct ComponentReport: Sendable {
    public var state: ComponentState
    /// A short, user-safe explanation: never a connection string or an error's internals.
    public var detail: String?

    public init(_ state: ComponentState, detail: String? = nil) {
        self.state = state
        self.detail = detail
    }
}

/// The registered checks, in the order `/readyz` lists them.
public final class Readiness: Sendable {
    private let checks = NIOLockedValueBox<[any ReadinessCheck]>([])

    public func register(_ check: any ReadinessCheck) {
        checks.withLockedValue { $0.append(check) }
    }

    public var registered: [any ReadinessCheck] { checks.withLockedValue { $0 } }
}

extension Application {
    private struct ReadinessKey: StorageKey {
        typealias Value = Readiness
    }

    public var readiness: Readiness {
        if let existing = storage[ReadinessKey.self] { return existing }
        let created = Readiness()
        storage[ReadinessKey.self] = created
        return created
    }
}
