import Foundation

/// Slows guessing without ever locking an account for good.
///
/// After `freeFailures` consecutive failures, each further attempt must wait twice as long as the
/// one before, starting at one second and capped at 15 minutes, counted from the last failure. A
/// successful sign-in or a recovery resets the count.
public struct SignInThrottle: Sendable {
    public var freeFailures = 5
    public var firstDelay: TimeInterval = 1
    public var maximumDelay: TimeInterval = 15 * 60

    public init() {}

    /// The wait imposed after `consecutiveFailures` failures.
    public func delay(afterConsecutiveFailures consecutiveFailures: Int) -> TimeInterval {
        guard consecutiveFailures >= freeFailures else { return 0 }
        let exponent = min(consecutiveFailures - freeFailures, 30)
        return min(maximumDelay, firstDelay * pow(2, Double(exponent)))
    }

    /// Seconds until the next attempt is allowed, or nil when it is allowed now.
    public func retryAfter(consecutiveFailures: Int, lastFailureAt: Date?, now: Date) -> TimeInterval? {
        guard let lastFailureAt else { return nil }
        let wait = delay(afterConsecutiveFailures: consecutiveFailures)
        let remaining = lastFailureAt.addingTimeInterval(wait).timeIntervalSince(now)
        return remaining > 0 ? remaining : nil
    }
}
