import Testing

@testable import LoamKit

@Suite("Person name keys")
struct PersonNameTests {
    @Test(
        "case, accents, punctuation, honorifics and suffixes are folded away",
        arguments: [
            ("Dr. José Núñez", "jose nunez"),
            ("jose nunez", "jose nunez"),
            ("  ROBERT   smith  ", "robert smith"),
            ("Mrs. Ann O'Brien", "ann obrien"),
            ("Martin Luther King, Jr.", "martin luther king"),
            ("Ann Lee, Ph.D.", "ann lee"),
            ("Jean-Luc Picard", "jean luc picard"),
            ("Zoë Saldaña III", "zoe saldana"),
        ] as [(String, String)])
    func folds(raw: String, key: String) {
        #expect(PersonName(raw).key == key)
    }

    @Test("honorific and accent spellings of one name give the same key")
    func honorificAndDiacritics() {
        #expect(PersonName("Dr. José Núñez") == PersonName("jose nunez"))
        #expect(PersonName("Dr. José Núñez") != PersonName("jose nunes"))
    }

    @Test("\"Last, First\" is put in reading order, with first and last name")
    func lastCommaFirst() {
        let name = PersonName("Smith, Robert")
        #expect(name.key == "robert smith")
        #expect(name.first == "robert")
        #expect(name.last == "smith")
        #expect(PersonName("Smith, Robert J., Jr.").key == "robert j smith")
    }

    @Test("empty and one-character names are not usable", arguments: ["", "   ", "J", "J.", "Dr.", "—", "Mr. X"])
    func unusable(raw: String) {
        #expect(!PersonName(raw).isUsable)
    }

    @Test("a one-word name has a first name and no last name")
    func oneWord() {
        let name = PersonName("Cher")
        #expect(name.isUsable)
        #expect(name.first == "cher")
        #expect(name.last == nil)
    }
}

@Suite("Nicknames and company names")
struct NicknamesAndCompanyTests {
    @Test(
        "diminutives map to one canonical given name",
        arguments: [
            ("Bob", "robert"), ("robbie", "robert"), ("Robert", "robert"), ("Bill", "william"), ("will", "william"),
            ("Liz", "elizabeth"), ("Betsy", "elizabeth"), ("Eliza", "elizabeth"), ("Kate", "katherine"),
            ("Cathy", "katherine"), ("Catherine", "katherine"), ("Mike", "michael"), ("Danny", "daniel"),
            ("Dave", "david"), ("Jimmy", "james"), ("Jon", "jonathan"), ("Chris", "christopher"),
            ("Alex", "alexander"), ("Sam", "samuel"), ("Tom", "thomas"), ("Tony", "anthony"), ("Joe", "joseph"),
            ("Nick", "nicholas"), ("Peggy", "margaret"), ("Maggie", "margaret"), ("Dana", "dana"),
        ] as [(String, String)])
    func canonical(name: String, canonical: String) {
        #expect(Nicknames.canonical(name) == canonical)
    }

    @Test("every canonical name is its own canonical form, so nicknames never chain")
    func idempotent() {
        #expect(Nicknames.table.count > 300)
        for (name, canonical) in Nicknames.table {
            #expect(Nicknames.table[canonical] == nil, "\(name) → \(canonical), itself a diminutive")
        }
    }

    @Test(
        "legal suffixes, case, accents and punctuation are dropped from company names",
        arguments: [
            ("Acme, Inc.", "acme"), ("ACME Inc", "acme"), ("acme", "acme"), ("Acme LLC", "acme"),
            ("Müller GmbH", "muller"), ("Siemens AG", "siemens"), ("Société Générale S.A.", "societe generale"),
            ("Philips B.V.", "philips"), ("Barclays PLC", "barclays"), ("Initech Corp.", "initech"),
            ("Globex Corporation", "globex"), ("Acme Holdings Co., Ltd.", "acme holdings"),
            ("Co Op Bank", "co op bank"),
        ] as [(String, String)])
    func companyKey(raw: String, key: String) {
        #expect(CompanyName.key(raw) == key)
    }

    @Test("an empty or suffix-only company has no key", arguments: ["", "  ", "Inc.", "LLC", "..."])
    func noCompanyKey(raw: String) {
        #expect(CompanyName.key(raw) == nil)
    }
}
