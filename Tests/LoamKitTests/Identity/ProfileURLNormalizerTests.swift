import Testing

@testable import LoamKit

@Suite("Profile URL normalization")
struct ProfileURLNormalizerTests {
    @Test(
        "every spelling of a profile link meets in one form",
        arguments: [
            // LinkedIn: tracking, trailing slash, scheme, country hosts, case and sub-pages.
            ("https://www.linkedin.com/in/Jane-Doe/?utm_source=share&utm_medium=ios", "linkedin.com/in/jane-doe"),
            ("http://linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe"),
            ("linkedin.com/in/jane-doe/", "linkedin.com/in/jane-doe"),
            ("www.linkedin.com/in/jane-doe?trk=public_profile_browsemap", "linkedin.com/in/jane-doe"),
            ("https://de.linkedin.com/in/jane-doe?originalSubdomain=de", "linkedin.com/in/jane-doe"),
            ("https://www.linkedin.com/in/jane-doe/details/experience/", "linkedin.com/in/jane-doe"),
            ("https://www.linkedin.com/in/jane-doe#experience", "linkedin.com/in/jane-doe"),
            ("HTTPS://WWW.LINKEDIN.COM/in/JANE-DOE", "linkedin.com/in/jane-doe"),
            ("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c/", "linkedin.com/in/jürgen-müller-1a2b3c"),
            ("https://www.linkedin.com/in/jürgen-müller-1a2b3c", "linkedin.com/in/jürgen-müller-1a2b3c"),
            ("https://www.linkedin.com/company/Acme/", "linkedin.com/company/Acme"),
            // X, formerly Twitter.
            ("https://twitter.com/Jack", "x.com/jack"),
            ("https://mobile.twitter.com/jack?s=20&t=abc", "x.com/jack"),
            ("https://x.com/jack/", "x.com/jack"),
            ("http://twitter.com/#!/jack", "x.com/jack"),
            // Facebook, Instagram, GitHub.
            ("https://m.facebook.com/Ann.Lee?ref=bookmarks&fbclid=IwAR0abc", "facebook.com/ann.lee"),
            ("https://fb.com/ann.lee", "facebook.com/ann.lee"),
            ("https://www.facebook.com/profile.php?id=100004123&sk=about", "facebook.com/profile.php?id=100004123"),
            ("https://www.instagram.com/ann.lee/?igshid=MzRlODBiNWFlZA==", "instagram.com/ann.lee"),
            ("https://github.com/Octocat", "github.com/octocat"),
            // Anywhere else: only tracking goes; path case and meaningful parameters stay.
            ("https://Example.com/People/Ann/?utm_campaign=x&page=2&ref=nav#bio", "example.com/People/Ann?page=2"),
            ("https://example.com/%7Eann", "example.com/~ann"),
            ("https://example.com/a%2fb", "example.com/a%2Fb"),
            ("https://example.com:443/ann", "example.com/ann"),
            ("http://example.com:80/ann", "example.com/ann"),
            ("http://example.com:8080/ann", "example.com:8080/ann"),
            ("https://user:secret@example.com/ann", "example.com/ann"),
            ("//example.com/ann", "example.com/ann"),
            ("https://www.example.com.", "example.com"),
            ("https://m.example.com/ann", "example.com/ann"),
            ("https://www.com/ann", "www.com/ann"),  // no prefix is removed down to a lone label
            ("https://blog.example.com/ann?si=abc", "blog.example.com/ann"),
        ] as [(String, String)])
    func normalizes(raw: String, expected: String) {
        #expect(IdentityNormalizer.profileURL(raw) == expected)
    }

    @Test("different Facebook ids stay different profiles")
    func facebookIDs() {
        let first = IdentityNormalizer.profileURL("https://www.facebook.com/profile.php?id=1001")
        let second = IdentityNormalizer.profileURL("https://www.facebook.com/profile.php?id=1002")
        #expect(first != nil && first != second)
    }

    @Test(
        "what is not an http(s) URL with a host name gives nil",
        arguments: [
            "", "   ", "ann", "jane-doe", "ftp://example.com/ann", "mailto:ann@example.com", "ann@example.com",
            "javascript:alert(1)", "tel:+4930123456", "https://", "https:///ann", "https://localhost/ann",
            "https://127.0.0.1/ann", "https://exa mple.com/ann", "https://example.com/%zz",
            "https://example.com:abc/ann",
            "https://-example.com/ann", "https://example.com/a\"b",
            // A profile site's links to no profile: placeholders that must not merge everyone.
            "https://twitter.com/", "https://www.linkedin.com/in/", "linkedin.com",
            "https://www.facebook.com/profile.php",
            "https://www.facebook.com/profile.php?id=", "https://github.com?tab=repositories",
        ])
    func rejects(raw: String) {
        #expect(IdentityNormalizer.profileURL(raw) == nil)
    }
}
