import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The time, as every feature reads it. Tests replace it to move time instead of sleeping.
public struct LoamClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = LoamClock { Date() }

    /// A clock that stands still until moved: `advance(by:)` on the returned controller.
    public static func manual(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> (LoamClock, ManualClock) {
        let controller = ManualClock(start)
        return (LoamClock { controller.current }, controller)
    }
}

public final class ManualClock: Sendable {
    private let value: NIOLockedValueBox<Date>

    init(_ start: Date) { value = NIOLockedValueBox(start) }

    public var current: Date { value.withLockedValue { $0 } }

    public func advance(by interval: TimeInterval) {
        value.withLockedValue { $0 = $0.addingTimeInterval(interval) }
    }
}

extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = LoamClock
    }

    /// The application's clock; `.system` unless a test set another.
    public var clock: LoamClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}
