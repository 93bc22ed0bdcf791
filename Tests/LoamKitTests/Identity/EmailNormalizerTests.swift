import Testing

@testable import LoamKit

@Suite("Email normalization")
struct EmailNormalizerTests {
    @Test(
        "addresses are trimmed, unwrapped and lower-cased",
        arguments: [
            ("  Ann.Lee+CRM@Example.COM \n", "ann.lee+crm@example.com"),
            ("Ann Lee <ann@example.com>", "ann@example.com"),
            ("\"Lee, Ann\" < Ann@Example.com >", "ann@example.com"),
            ("<ann@example.com>", "ann@example.com"),
            ("mailto:Ann@Example.com?subject=Hello", "ann@example.com"),
            ("MAILTO:ann%40example.com", "ann@example.com"),
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("ZOË@Bücher.DE", "zoë@bücher.de"),
            ("ann@mail.example.co.uk", "ann@mail.example.co.uk"),
        ] as [(String, String)])
    func normalizes(raw: String, expected: String) {
        #expect(IdentityNormalizer.email(raw) == expected)
    }

    @Test("composed and decomposed accents give the same address")
    func unicodeForms() {
        let composed = IdentityNormalizer.email("zo\u{00EB}@example.com")
        #expect(composed != nil && composed == IdentityNormalizer.email("zoe\u{0308}@example.com"))
    }

    @Test("dots and +tags are kept: they name different mailboxes outside Gmail")
    func keepsProviderAliases() {
        #expect(IdentityNormalizer.email("a.n.n@gmail.com") != IdentityNormalizer.email("ann@gmail.com"))
        #expect(IdentityNormalizer.email("ann+work@example.com") != IdentityNormalizer.email("ann@example.com"))
    }

    @Test(
        "what is not an address gives nil",
        arguments: [
            "", "   ", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "ann@b@example.com",
            "ann lee@example.com", "ann@exa mple.com", "ann@.example.com", "ann@example..com", "ann@example.com.",
            "ann@-example.com", "ann@example-.com", ".ann@example.com", "ann.@example.com", "an..n@example.com",
            "ann@127.0.0.1", "ann@localhost", "ann@[127.0.0.1]", "Ann <ann@example.com", "ann<x>@example.com",
            "ann@example.com, bob@example.com", "mailto:", "mailto:%zz@example.com", "ann\u{0}@example.com",
        ])
    func rejects(raw: String) {
        #expect(IdentityNormalizer.email(raw) == nil)
    }
}
