import LoamKit
import Testing

@Suite("SearchNormalizer")
struct SearchNormalizerTests {
    let normalizer = SearchNormalizer()

    @Test(
        "folds case and accents and splits words",
        arguments: [
            ("José", ["jose"]),
            ("JOSÉ GARCÍA-MÁRQUEZ", ["jose", "garcia", "marquez"]),
            ("  Zoë\tÅngström\n", ["zoe", "angstrom"]),
            ("O'Brien, O’Neill", ["obrien", "oneill"]),
            ("Straße", ["strasse"]),
            ("Ørsted Łódź Æsir", ["orsted", "lodz", "aesir"]),
            ("ﬁle Ｔｏｋｙｏ", ["file", "tokyo"]),
            ("Ёлка", ["елка"]),
            ("ΟΔΟΣ", ["οδοσ"]),
            ("İstanbul", ["istanbul"]),
            ("call 555-0100 re: #42!", ["call", "555", "0100", "re", "42"]),
            ("ann ANN Ann", ["ann"]),
            ("", []),
            (" -- !! ", []),
        ] as [(String, [String])]
    )
    func terms(text: String, expected: [String]) {
        #expect(normalizer.indexTerms(text) == expected)
        #expect(normalizer.queryTerms(text) == expected)
    }

    @Test("scripts with meaningful combining marks keep them")
    func otherScripts() {
        #expect(normalizer.indexTerms("हिन्दी") == ["हिन्दी"])
        #expect(normalizer.indexTerms("東京 タワー") == ["東京", "タワー"])
    }

    @Test("an email is indexed whole and by its words, and queried whole")
    func email() {
        let text = "Write to <Ann.Lee+crm@Example.COM>, please."

        #expect(
            normalizer.indexTerms(text) == [
                "write", "to", "ann.lee+crm@example.com", "ann", "lee", "crm", "example", "com", "please",
            ])
        #expect(normalizer.queryTerms("ANN.LEE+CRM@EXAMPLE.COM") == ["ann.lee+crm@example.com"])
    }

    @Test(
        "things that are not emails are split into words",
        arguments: ["ann@", "@example.com", "ann@example", "a@b@c.com", "ann@exa..mple.com"])
    func notEmail(text: String) {
        #expect(!normalizer.indexTerms(text).contains { $0.contains("@") })
    }

    @Test(
        "query terms are always among the index terms of the same text",
        arguments: [
            "José García <jose@example.org>", "Jean-Luc O'Neill", "ann@example.com; bob@example.net", "ΟΔΟΣ Straße",
        ]
    )
    func queryIsSubsetOfIndex(text: String) {
        let index = Set(normalizer.indexTerms(text))

        #expect(!normalizer.queryTerms(text).isEmpty)
        #expect(normalizer.queryTerms(text).allSatisfy(index.contains))
    }
}
