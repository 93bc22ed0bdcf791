import NIOConcurrencyHelpers

/// A flag set once from any task (whether a job called `finish`).
final class ManagedAtomicFlag: Sendable {
    private let value = NIOLockedValueBox(false)

    func set() { value.withLockedValue { $0 = true } }
    var isSet: Bool { value.withLockedValue { $0 } }
}
