import Foundation
import LoamKit

/// `loam-bench crypto [--seconds N]`: PBKDF2 verification at the production cost and field
/// sealing/opening for 200-byte values.
enum CryptoBenchmark {
    static func run(_ arguments: [String]) throws {
        var seconds = 3.0
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument == "--seconds", let value = remaining.popFirst().flatMap(Double.init), value > 0 else {
                throw UsageError(description: "usage: loam-bench crypto [--seconds N]")
            }
            seconds = value
        }
        try benchmarkPBKDF2(seconds: seconds)
        try benchmarkFieldCipher(seconds: seconds)
    }

    private static func benchmarkPBKDF2(seconds: Double) throws {
        let hasher = PasswordHasher()
        let password = "correct horse battery staple"
        let phc = try hasher.hash(password)
        print("PBKDF2-HMAC-SHA256 verify at \(hasher.iterations) iterations for about \(seconds) s…")

        let (count, elapsed) = measure(seconds: seconds, minimumCount: 3) {
            guard hasher.verify(password, against: phc) else { fatalError("benchmark password did not verify") }
        }
        let perSecond = Double(count) / elapsed
        let milliseconds = format(1000 / perSecond)
        print(
            "  \(count) verifications in \(format(elapsed)) s: \(format(perSecond)) per second, \(milliseconds) ms each"
        )
        print("pbkdf2_iterations \(hasher.iterations)")
        print("pbkdf2_verify_count \(count)")
        print("pbkdf2_verify_seconds \(format(elapsed))")
        print("pbkdf2_verify_per_sec \(format(perSecond))")
    }

    private static func benchmarkFieldCipher(seconds: Double) throws {
        let cipher = FieldCipher(dataKey: .generate(), keyID: 1)
        let context = FieldContext(
            table: "people", column: "notes", rowID: "0190f3b2-7c1e-7d3a-9f00-5b1c2d3e4f50",
            owner: .user("0190f3b2-0000-7000-8000-000000000001"))
        let plaintext = Data(repeating: 0x61, count: 200)
        print("AES-256-GCM field seal/open, 200-byte plaintext, about \(seconds) s each…")

        var sink = 0
        let (sealCount, sealElapsed) = try measureThrowing(seconds: seconds) {
            sink &+= try cipher.seal(plaintext, context: context).count
        }
        let sealed = try cipher.seal(plaintext, context: context)
        let (openCount, openElapsed) = try measureThrowing(seconds: seconds) {
            sink &+= try cipher.open(sealed, context: context).count
        }
        let sealRate = Double(sealCount) / sealElapsed
        let openRate = Double(openCount) / openElapsed
        print("  seal: \(format(sealRate)) per second; open: \(format(openRate)) per second (checksum \(sink % 10))")
        print("field_seal_per_sec \(format(sealRate))")
        print("field_open_per_sec \(format(openRate))")
    }

    /// Runs `body` until `seconds` have passed (checking the clock in batches so the clock is
    /// not what gets measured) and at least `minimumCount` times.
    private static func measure(seconds: Double, minimumCount: Int = 1, _ body: () -> Void) -> (
        count: Int, seconds: Double
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        var count = 0
        var batch = 1
        var elapsed = Duration.zero
        while count < minimumCount || elapsed < budget {
            let batchStart = clock.now
            for _ in 0..<batch { body() }
            count += batch
            let now = clock.now
            elapsed = now - start
            // Fast bodies run in growing batches until a batch takes about 10 ms.
            if now - batchStart < .milliseconds(10) { batch *= 2 }
        }
        return (count, toSeconds(elapsed))
    }

    private static func measureThrowing(seconds: Double, _ body: () throws -> Void) throws -> (
        count: Int, seconds: Double
    ) {
        var failure: (any Error)?
        let result = measure(seconds: seconds) {
            guard failure == nil else { return }
            do { try body() } catch { failure = error }
        }
        if let failure { throw failure }
        return result
    }

    private static func toSeconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
