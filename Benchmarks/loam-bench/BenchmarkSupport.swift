import Dispatch
import Foundation

/// Runs an async benchmark from the synchronous dispatch table: blocks this thread (not one of the
/// cooperative pool's) until it is done, and rethrows what it threw.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let outcome = BlockingOutcome()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}

private final class BlockingOutcome: @unchecked Sendable {
    var error: (any Error)?
}

/// The test SMTP server a mail benchmark delivers to, from the variables `scripts/bench` sets.
struct BenchmarkSMTPServer: Sendable {
    var url: String
    var maildir: String

    init(environment: [String: String], benchmark: String) throws {
        guard let url = environment["LOAM_TEST_SMTP_URL"], !url.isEmpty,
            let maildir = environment["LOAM_TEST_SMTP_MAILDIR"], !maildir.isEmpty
        else {
            throw UsageError(
                description:
                    "loam-bench \(benchmark) needs LOAM_TEST_SMTP_URL and LOAM_TEST_SMTP_MAILDIR; run it through scripts/bench \(benchmark)"
            )
        }
        self.url = url
        self.maildir = maildir
    }
}

/// A benchmark's `--flag value` arguments, each value checked; a mistake throws the benchmark's usage text.
struct BenchmarkArguments {
    private var remaining: ArraySlice<String>
    let usage: String

    init(_ arguments: [String], usage: String) {
        self.remaining = arguments[...]
        self.usage = usage
    }

    mutating func nextFlag() -> String? { remaining.popFirst() }

    mutating func string() throws -> String {
        guard let value = remaining.popFirst() else { throw unknown() }
        return value
    }

    mutating func number(atLeast minimum: Double = 1) throws -> Double {
        guard let number = Double(try string()), number >= minimum else { throw unknown() }
        return number
    }

    func unknown() -> UsageError { UsageError(description: usage) }
}
