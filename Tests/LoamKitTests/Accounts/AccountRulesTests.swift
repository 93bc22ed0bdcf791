import Foundation
import LoamKit
import Testing

@Suite("Password policy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy(commonPasswords: "123456\npassword\nqwertyuiop\nIloveyou1\n")

    @Test("Length is 8 to 128 characters, counted as a person sees them")
    func length() {
        #expect(policy.problem(with: "short1!") == .tooShort(minimum: 8))
        #expect(policy.problem(with: "ok-8-chr") == nil)
        #expect(policy.problem(with: "ééééééé") == .tooShort(minimum: 8))
        #expect(policy.problem(with: String(repeating: "a1", count: 64)) == nil)
        #expect(policy.problem(with: String(repeating: "a", count: 129)) == .tooLong(maximum: 128))
    }

    @Test("Common passwords are refused whatever their case; the account's own address or name too")
    func common() {
        #expect(policy.problem(with: "QwertyUIOP") == .common)
        #expect(policy.problem(with: "iloveyou1") == .common)
        #expect(policy.problem(with: "dana.oster", email: "Dana.Oster@example.org") == .resemblesAccount)
        #expect(policy.problem(with: "Dana Oster", name: "dana oster") == .resemblesAccount)
        #expect(policy.problem(with: "hayloft-otter-42", email: "dana@example.org") == nil)
    }

    @Test("The shipped list of common passwords loads and refuses well-known ones")
    func shippedList() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "Resources/Passwords/common-passwords.txt")
        let shipped = PasswordPolicy(commonPasswords: try String(contentsOf: path, encoding: .utf8))
        #expect(shipped.commonPasswordCount > 19_000)
        for password in ["password", "12345678", "iloveyou", "Password1", "football", "baseball"] {
            #expect(shipped.problem(with: password) == .common, "\(password)")
        }
    }
}

@Suite("Sign-in throttle")
struct SignInThrottleTests {
    let throttle = SignInThrottle()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("Five failures are free; then 1 s, 2 s, 4 s … capped at 15 minutes")
    func delays() {
        #expect((0...4).allSatisfy { throttle.delay(afterConsecutiveFailures: $0) == 0 })
        #expect(throttle.delay(afterConsecutiveFailures: 5) == 1)
        #expect(throttle.delay(afterConsecutiveFailures: 6) == 2)
        #expect(throttle.delay(afterConsecutiveFailures: 9) == 16)
        #expect(throttle.delay(afterConsecutiveFailures: 15) == 900)
        #expect(throttle.delay(afterConsecutiveFailures: 10_000) == 900)
    }

    @Test("The wait counts from the last failure and ends; it never locks for good")
    func retryAfter() {
        #expect(throttle.retryAfter(consecutiveFailures: 7, lastFailureAt: now, now: now) == 4)
        #expect(throttle.retryAfter(consecutiveFailures: 7, lastFailureAt: now, now: now.addingTimeInterval(3)) == 1)
        #expect(throttle.retryAfter(consecutiveFailures: 7, lastFailureAt: now, now: now.addingTimeInterval(4)) == nil)
        #expect(
            throttle.retryAfter(consecutiveFailures: 500, lastFailureAt: now, now: now.addingTimeInterval(901)) == nil)
        #expect(throttle.retryAfter(consecutiveFailures: 3, lastFailureAt: now, now: now) == nil)
    }
}

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("Addresses and CIDR ranges, IPv4 and IPv6")
    func matching() throws {
        let proxies = try #require(TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8"))
        #expect(proxies.contains("10.200.3.4"))
        #expect(proxies.contains("192.168.1.7"))
        #expect(!proxies.contains("192.168.1.8"))
        #expect(proxies.contains("::1"))
        #expect(proxies.contains("fd12:3456::1"))
        #expect(!proxies.contains("2001:db8::1"))
        #expect(!proxies.contains("not an address"))
        #expect(TrustedProxies(parsing: "10.0.0.0/33") == nil)
        #expect(TrustedProxies(parsing: "example.com") == nil)
    }

    @Test("X-Forwarded-For counts only behind a trusted proxy, read from the right")
    func clientAddress() throws {
        let proxies = try #require(TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8"))
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "203.0.113.9, 10.1.2.3") == "203.0.113.9")
        // A client cannot choose its address by writing the header itself.
        #expect(proxies.clientAddress(peer: "198.51.100.4", forwardedFor: "1.2.3.4") == "198.51.100.4")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "spoofed, 203.0.113.9") == "203.0.113.9")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: "1.2.3.4") == "127.0.0.1")
    }
}
