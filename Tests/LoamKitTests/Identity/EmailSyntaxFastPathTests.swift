import Testing

@testable import LoamKit

@Suite("Email syntax: the ASCII fast path")
struct EmailSyntaxFastPathTests {
    /// The general path, as `isAddress` runs it for non-ASCII text.
    private func general(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2 else { return false }
        return EmailSyntax.isLocalPart(parts[0]) && EmailSyntax.isDomain(parts[1])
    }

    @Test("the byte-level check answers like the general one on edge cases")
    func edgeCases() {
        let local64 = String(repeating: "a", count: 64)
        let label63 = String(repeating: "b", count: 63)
        let cases = [
            "ann@example.com", "a.b.c@x.y", "ann@", "@example.com", "ann@example", "ann@@example.com", ".ann@x.com",
            "ann.@x.com", "a..n@x.com", "ann@x..com", "ann@.x.com", "ann@x.com.", "ann@-x.com", "ann@x-.com",
            "ann@1.2", "ann@x.12", "ann@x.1a", "ann@x.a1", "ann lee@x.com", "ann\t@x.com", "ann\r\n@x.com",
            "ann@x.co\r\nm", "a<b@x.com", "a\"b@x.com", "a:b@x.com", "o'brien@x.ie", "a+tag@x.com", "a_b@x-y.com",
            "ann@x_y.com", "ann@X.COM", "\(local64)@x.com", "a\(local64)@x.com", "ann@\(label63).com",
            "ann@a\(label63).com", "ann@x.com@y.com", "a\u{7F}@x.com", "", "@", ".", "a@b.c",
        ]
        for address in cases {
            #expect(EmailSyntax.isASCIIAddress(Array(address.utf8)) == general(address), "\(address)")
        }
    }

    @Test("the byte-level check answers like the general one on 50,000 generated strings")
    func generated() {
        // Address-shaped strings: local fragments, usually one "@", domain fragments, so that valid and
        // invalid answers both come up often.
        let localFragments = ["a", "B", "1", ".", "_", "-", "+", ":", " ", "\t", "<", "'"]
        let domainFragments = ["x", "Y2", "-", ".", "com", "1", ".", "9", "_", "a-b", "@"]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var valid = 0
        for _ in 0..<50_000 {
            var address = ""
            for _ in 0..<next(4) + 1 { address += localFragments[next(localFragments.count)] }
            if next(10) != 0 { address += "@" }
            for _ in 0..<next(6) + 1 { address += domainFragments[next(domainFragments.count)] }
            #expect(EmailSyntax.isASCIIAddress(Array(address.utf8)) == general(address), "\(address)")
            if general(address) { valid += 1 }
        }
        #expect(valid > 300)
    }
}
