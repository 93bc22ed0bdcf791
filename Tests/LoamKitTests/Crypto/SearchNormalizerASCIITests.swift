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
