import Testing

@testable import LoamKit

@Suite("Phone normalization")
struct PhoneNormalizerTests {
    static let requiredRegions: Set<String> = [
        "US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "PT", "IE",
        "RU", "UA", "TR", "IL", "IN", "CN", "JP", "KR", "AU", "NZ", "BR", "MX", "AR", "ZA", "NG", "EG", "SG", "HK",
    ]

    @Test("every spelling libphonenumber reads as a valid number gives its E.164 form", arguments: PhoneCase.valid)
    func generatedValid(_ phoneCase: PhoneCase) {
        check(phoneCase)
    }

    @Test("every input libphonenumber finds invalid or unparseable gives nil", arguments: PhoneCase.invalid)
    func generatedInvalid(_ phoneCase: PhoneCase) {
        check(phoneCase)
    }

    func check(_ phoneCase: PhoneCase) {
        let actual = IdentityNormalizer.phone(phoneCase.input, defaultRegion: phoneCase.region)
        if let reason = phoneCase.unsupported {
            withKnownIssue(Comment(rawValue: reason)) {
                #expect(actual == phoneCase.expected, "\(phoneCase.testDescription)")
            }
        } else {
            #expect(actual == phoneCase.expected, "\(phoneCase.testDescription)")
        }
    }

    @Test("the generated cases cover the regions people here live in, in every canonical spelling")
    func coverage() {
        for region in Self.requiredRegions {
            let labels = PhoneCase.valid.filter { $0.region == region && $0.unsupported == nil }.map(\.label)
            for spelling in ["fixed, national", "fixed, international", "fixed, E.164"] {
                let found = labels.contains("\(region) \(spelling)")
                #expect(found, "\(region) \(spelling)")
            }
            // US and Canadian mobiles share the fixed lines' example number, so its spellings are there once.
            let mobiles = labels.contains { $0.hasPrefix("\(region) mobile") }
            #expect(mobiles, "\(region) mobile")
        }
        #expect(PhoneCase.valid.count >= 400)
        #expect(Set(PhoneCase.valid.map(\.region)).count >= 36)
        #expect(PhoneCase.invalid.count >= 100)
    }

    @Test(
        "written the way people write them at home",
        arguments: [
            ("+49 151 23456789", "DE", "+4915123456789"),
            ("0151 / 234 567 89", "DE", "+4915123456789"),
            ("+49 (0)30 123456", "DE", "+4930123456"),
            ("+44 (0)20 7946 0958", "GB", "+442079460958"),
            ("020 7946 0958", "gb", "+442079460958"),
            ("06 1234 5678", "IT", "+390612345678"),  // Italy keeps its 0
            ("+39 06 1234 5678", "US", "+390612345678"),
            ("8 (912) 345-67-89", "RU", "+79123456789"),
            ("8 800 123-45-67", "RU", "+78001234567"),
            ("800 123 45 67", "RU", "+78001234567"),  // no trunk prefix: the 8 is the number's own
            ("1 (201) 555-0123", "US", "+12015550123"),
            ("011 44 20 7946 0958", "US", "+442079460958"),
            ("0011 44 20 7946 0958", "AU", "+442079460958"),
            ("8~10 49 30 123456", "RU", "+4930123456"),
            ("011 15-2345-6789", "AR", "+5491123456789"),
            ("+54 9 11 2345-6789", "AR", "+5491123456789"),
            ("0 21 (11) 2345-6789", "BR", "+551123456789"),
            ("(+49) 30 123456", "DE", "+4930123456"),
            ("tel:+49-30-123456;phone-context=example.com", "US", "+4930123456"),
            ("030 123456 ext. 12", "DE", "+4930123456"),
            ("030 123456 x12", "DE", "+4930123456"),
            ("030 123456;ext=12", "DE", "+4930123456"),
            ("+7 495 123-45-67 доб. 123", "RU", "+74951234567"),
            ("\u{200E}+49 30 123456\u{200E}", "DE", "+4930123456"),
            ("+49\u{202F}30\u{2009}123\u{00AD}456", "DE", "+4930123456"),
            ("\u{FF10}\u{FF13}\u{FF10} \u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}", "DE", "+4930123456"),
            // Arabic-Indic digits.
            ("+\u{664}\u{669} \u{663}\u{660} \u{661}\u{662}\u{663}\u{664}\u{665}\u{666}", "US", "+4930123456"),
            ("+800 1234 5678", "US", "+80012345678"),
        ] as [(String, String, String)])
    func homeSpellings(input: String, region: String, expected: String) {
        #expect(IdentityNormalizer.phone(input, defaultRegion: region) == expected)
    }

    @Test(
        "where Loam reads differently from libphonenumber, on purpose",
        arguments: [
            // Letters are refused: libphonenumber reads vanity numbers and ignores trailing text.
            ("1-800-FLOWERS", "US", nil),
            ("030 12A456", "DE", nil),
            ("+49 30 123456 call me", "DE", nil),
            ("030 123456 ext. twelve", "DE", nil),
            // "00" still means international where the region dials abroad otherwise.
            ("0044 20 7946 0958", "US", "+442079460958"),
            ("0049 30 123456", "RU", "+4930123456"),
            // Mexico's mobile "1" (dropped in 2019) is still in old address books.
            ("+52 1 222 123 4567", "MX", "+522221234567"),
            ("044 222 123 4567", "MX", nil),
        ] as [(String, String, String?)])
    func deliberateDifferences(input: String, region: String, expected: String?) {
        #expect(IdentityNormalizer.phone(input, defaultRegion: region) == expected)
    }

    @Test(
        "what cannot be a phone number gives nil",
        arguments: [
            ("", "DE"), ("   ", "DE"), ("+", "DE"), ("++49 30 123456", "DE"), ("+49 +30 123456", "DE"),
            ("030 123456 #", "DE"), ("*100#", "DE"), ("234 5678", "CA"),  // a local number without area code
            ("(201) 155-0123", "US"),  // NANP exchanges never start with 1
            ("(101) 555-0123", "US"),  // nor area codes
            ("0301", "DE"), ("+49 0 30 1", "DE"), ("030 123456", "ZZ"), ("030 123456", ""),
            ("²³⁴ 567 8901", "US"),
        ] as [(String, String)])
    func rejects(input: String, region: String) {
        #expect(IdentityNormalizer.phone(input, defaultRegion: region) == nil)
    }

    @Test("numbers with a calling code need no known region")
    func unknownRegion() {
        #expect(IdentityNormalizer.phone("+49 30 123456", defaultRegion: "ZZ") == "+4930123456")
        #expect(IdentityNormalizer.phone("0049 30 123456", defaultRegion: "") == "+4930123456")
    }

    @Test("very long input is refused without being read")
    func longInput() {
        let long = "+49 30 123456" + String(repeating: " ", count: PhoneDialString.maximumLength)
        #expect(IdentityNormalizer.phone(long, defaultRegion: "DE") == nil)
    }

    @Test("the region table has every region once and the main region of a shared calling code first")
    func table() {
        #expect(PhoneRegion.byCode.count == PhoneRegion.table.filter { $0.code != "001" }.count)
        #expect(PhoneRegion.byCode.count >= 240)
        #expect(Self.requiredRegions.isSubset(of: PhoneRegion.byCode.keys))
        #expect(PhoneRegion.byCallingCode[1]?.first?.code == "US")
        #expect(PhoneRegion.byCallingCode[7]?.first?.code == "RU")
        #expect(PhoneRegion.byCallingCode[44]?.first?.code == "GB")
        #expect(PhoneRegion.byCallingCode[39]?.first?.code == "IT")
        #expect(PhoneRegion.byCode["IT"]?.trunkPrefixes.isEmpty == true)
    }

    @Test("digit patterns match digit classes and ranges, position by position")
    func digitPattern() {
        let pattern = DigitPattern("0[0-35]9")
        #expect(pattern.count == 3)
        #expect(pattern.isPrefix(of: [0, 5, 9, 1]))
        #expect(pattern.isPrefix(of: [0, 2, 9]))
        #expect(!pattern.isPrefix(of: [0, 4, 9]))
        #expect(!pattern.isPrefix(of: [0, 0]))
    }
}
