import Testing

@testable import LoamKit

/// `fold` lowercases ASCII text directly instead of running the Unicode passes; a token made by one path must
/// equal the token the other would make, or a search would miss what an import indexed.
@Suite("SearchNormalizer's ASCII path")
struct SearchNormalizerASCIITests {
    @Test("every ASCII character, and typical subjects, fold exactly as the Unicode path folds them")
    func sameAsUnicodePath() {
        let normalizer = SearchNormalizer()
        let everyCharacter = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        let samples = [
            everyCharacter, "", "Re: Q3 Planning -- OFFSITE @ HQ", "FW: [EXT] Invoice #12,345 (due 05/06)",
            "Dana.Oster+news@Example.COM", "ALL CAPS\tand\ttabs\r\n", "~`!@#$%^&*()_=+{}|;':\",./<>?",
        ]
        for sample in samples {
            #expect(normalizer.fold(sample) == normalizer.foldUnicode(sample), "\(sample.debugDescription)")
        }
        #expect(normalizer.fold("Re: Offsite") == "re: offsite")
    }
}

/// The byte walk over ASCII text must split exactly as the Character walk does, on the inputs where they could
/// part: separators side by side, CR LF (one Character, two bytes), addresses with and without dots, apostrophes.
@Suite("SearchNormalizer's ASCII terms")
struct SearchNormalizerASCIITermsTests {
    @Test("random ASCII text gives the same terms both ways, indexing and querying")
    func sameAsUnicodeTerms() {
        let alphabet = Array("ab z09AZ@@..'-_%+\t\r\n\u{0B}\u{0C},;:<>()[]{}\"|/\\!#~`=?*&^")
        var generator = SystemRandomNumberGenerator()
        let samples =
            (0..<5_000).map { _ in
                String(
                    (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                        alphabet.randomElement(using: &generator)!
                    })
            } + [
                "Re: Q3 planning, with dana.oster@example.com", "o'brien's book", "'quoted' words'", "a@b.c", "a@b",
                "@b.c", "a@@b.c", "a@b..c",
                "a.b@c-d.e", "x@y.z.", "(ann@example.org)", "ann@example.org's", "\r\n", "",
            ]
        for sample in samples {
            let folded = SearchNormalizer().fold(sample)
            for includeEmailParts in [true, false] {
                #expect(
                    SearchNormalizer.asciiTerms(folded, includeEmailParts: includeEmailParts)
                        == SearchNormalizer.unicodeTerms(folded, includeEmailParts: includeEmailParts),
                    "\(sample.debugDescription)")
            }
        }
    }
}
