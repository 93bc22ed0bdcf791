import Testing

@testable import LoamKit

@Suite("Handle normalization")
struct HandleNormalizerTests {
    @Test(
        "handles become service:handle, without @ and in lower case",
        arguments: [
            ("@Jack", "x", "x:jack"),
            ("  jack ", "Twitter", "x:jack"),
            ("Octocat", "github", "github:octocat"),
            ("@Ann.Lee", "Instagram", "instagram:ann.lee"),
            ("@user@Mastodon.Social", "mastodon", "mastodon:user@mastodon.social"),
            ("Zoë", "telegram", "telegram:zoë"),
        ] as [(String, String, String)])
    func normalizes(raw: String, service: String, expected: String) {
        #expect(IdentityNormalizer.handle(raw, service: service) == expected)
    }

    @Test(
        "empty handles and services, or ones with whitespace, give nil",
        arguments: [
            ("", "x"), ("@", "x"), ("  ", "github"), ("ann lee", "x"), ("ann\tlee", "x"), ("jack", ""),
            ("jack", "my service"), ("jack", "a:b"), ("ann\u{0}", "x"),
        ] as [(String, String)])
    func rejects(raw: String, service: String) {
        #expect(IdentityNormalizer.handle(raw, service: service) == nil)
    }

    @Test("twitter handles and x.com profiles name the same account the same way")
    func twitterIsX() {
        let twitter = IdentityNormalizer.handle("@Jack", service: "twitter")
        #expect(twitter == IdentityNormalizer.handle("jack", service: "X"))
        #expect(IdentityNormalizer.profileURL("twitter.com/Jack") == "x.com/jack")
    }
}
