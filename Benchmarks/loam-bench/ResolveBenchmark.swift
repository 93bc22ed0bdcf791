import Foundation
import LoamKit

/// `loam-bench resolve [--identities N]`: identity resolution over a generated address book of about
/// 400,000 records holding 1,000,000 identifiers (by default), timing normalization and
/// ``IdentityResolver/resolve(_:notTheSame:)`` together, as an import of everything at once would.
///
/// The data is generated deterministically (a seeded SplitMix64, never the system random source), so
/// two runs resolve the same records. It overlaps the way real sources do: one human in 2–4 of mail,
/// vCard, LinkedIn and CSV, sharing an email; phones written "+1 415 555 0132", "(415) 555-0132" or
/// "415.555.0132"; name-only near-duplicates (same name and company, nicknames); and some records that
/// share a team mailbox but have their own LinkedIn profile.
enum ResolveBenchmark {
    static let targetSeconds = 5.0
    static let targetMegabytes = 1024.0

    static func run(_ arguments: [String]) throws {
        var identityCount = 1_000_000
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument == "--identities", let value = remaining.popFirst().flatMap(Int.init), value > 0 else {
                throw UsageError(description: "usage: loam-bench resolve [--identities N]")
            }
            identityCount = value
        }

        print("Generating an address book of \(identityCount) identifiers…")
        let book = AddressBook.generate(identities: identityCount)
        print("  \(book.records.count) records from \(book.humans) people")

        let clock = ContinuousClock()
        let start = clock.now
        var unparsed = 0
        let records = book.records.map { normalize($0, unparsed: &unparsed) }
        let normalized = clock.now
        let resolution = IdentityResolver().resolve(records)
        let end = clock.now

        let seconds = toSeconds(end - start)
        let megabytes = peakMemoryMegabytes()
        let merged = resolution.clusters.reduce(0) { $0 + $1.count }
        var reasons: [DuplicateReason: Int] = [:]
        for pair in resolution.reviewPairs { reasons[pair.reason, default: 0] += 1 }
        let met = seconds < targetSeconds && megabytes < targetMegabytes

        let normalizing = format(toSeconds(normalized - start))
        print("  normalization \(normalizing) s, resolution \(format(toSeconds(end - normalized))) s")
        print("  \(resolution.clusters.count) people merged from \(merged) records")
        print("  \(resolution.reviewPairs.count) pairs to review")
        for reason in DuplicateReason.allCases {
            print("    \(reason.rawValue): \(reasons[reason] ?? 0)")
        }
        if unparsed > 0 { print("  \(unparsed) generated identifiers did not normalize") }
        print("  target under \(format(targetSeconds)) s and \(Int(targetMegabytes)) MB: \(met ? "met" : "MISSED")")
        print("resolve_identities \(book.identityCount)")
        print("resolve_records \(records.count)")
        print("resolve_seconds \(format(seconds))")
        print("resolve_peak_memory_mb \(format(megabytes))")
        print("resolve_merged_clusters \(resolution.clusters.count)")
        print("resolve_records_merged \(merged)")
        print("resolve_review_pairs \(resolution.reviewPairs.count)")
        for reason in DuplicateReason.allCases {
            print("resolve_review_\(reason.rawValue) \(reasons[reason] ?? 0)")
        }
        print("resolve_target_met \(met ? 1 : 0)")
    }

    /// The timed normalization: what an import does to every identifier before resolving.
    private static func normalize(_ raw: RawRecord, unparsed: inout Int) -> ResolverRecord {
        var identities: [NormalizedIdentity] = []
        identities.reserveCapacity(raw.identities.count)
        for (kind, value) in raw.identities {
            let normalized: String?
            switch kind {
            case .email: normalized = IdentityNormalizer.email(value)
            case .phone: normalized = IdentityNormalizer.phone(value, defaultRegion: "US")
            case .profileURL: normalized = IdentityNormalizer.profileURL(value)
            case .handle: normalized = IdentityNormalizer.handle(value, service: "twitter")
            case .sourceID: normalized = value
            }
            if let normalized {
                identities.append(NormalizedIdentity(kind: kind, value: normalized))
            } else {
                unparsed += 1
            }
        }
        return ResolverRecord(name: raw.name, company: raw.company, source: raw.source, identities: identities)
    }

    private static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
            return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
            return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }

    private static func toSeconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}

/// A record as a source holds it, identifiers still in their raw spelling.
struct RawRecord {
    var name: String
    var company: String?
    var source: String
    var identities: [(IdentityKind, String)]
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast and good enough to make test data reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough in `0..<bound` for test data (the modulo bias is below 2⁻⁴⁰ for these bounds).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The generated address book.
struct AddressBook {
    var records: [RawRecord] = []
    var humans = 0
    var identityCount = 0

    private static let firstNames = [
        "Robert", "William", "Elizabeth", "Katherine", "Michael", "Daniel", "David", "James", "Jonathan",
        "Christopher", "Alexander", "Samuel", "Thomas", "Anthony", "Joseph", "Nicholas", "Margaret", "Richard",
        "Edward", "Charles", "Jennifer", "Jessica", "Rebecca", "Susan", "Patricia", "Matthew", "Andrew",
        "Steven", "Timothy", "Benjamin", "Dana", "Priya", "Wei", "Olga", "Ahmed", "Fatima", "Kenji", "Yuki",
        "Lucia", "Mateo", "Sofia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Mia", "Lucas", "Chloe", "Aiden",
        "Zoë", "José", "Amélie", "Björn", "Søren", "Ingrid", "Raúl", "Chiara", "Giulia", "Hannah", "Leah",
        "Omar", "Amir", "Sara", "Laura", "Julia", "Marta", "Elena", "Ivan", "Dmitri", "Anna", "Maria", "Paul",
        "Peter", "Mark", "Karen", "Nancy", "Lisa", "Betty", "Sandra", "Ashley", "Kimberly", "Donna", "Carol",
        "Gregory", "Kenneth", "Ronald", "Donald", "Douglas", "Lawrence", "Frederick", "Victoria", "Abigail",
        "Eleanor", "Harriet", "Isabella", "Natalie", "Olivia", "Theodore", "Zachary", "Nathaniel", "Jacob",
    ]
    private static let lastPrefixes = [
        "Ander", "Bald", "Black", "Brad", "Brook", "Cald", "Carl", "Chap", "Clark", "Cole", "Cran", "Dal",
        "Dun", "Ed", "Ell", "Fair", "Farn", "Fitz", "Gar", "Glad", "Gold", "Green", "Hal", "Ham", "Hart",
        "Hay", "Hol", "Ken", "Kings", "Lang", "Lind", "Mar", "Mill", "Mor", "Nor", "Oak", "Pem", "Ral",
        "Red", "Ros", "Rut", "Sand", "Shel", "Stan", "Stone", "Sum", "Thorn", "Tru", "Wal", "Wes", "Whit",
        "Wood", "Yar", "Nú", "Müll", "Ber", "Ros", "Cas", "Fer", "Kow",
    ]
    /// Prefix × middle × suffix: 15,000 last names, so unrelated people share a full name about as rarely
    /// as in a real address book, and the review holds mostly the planted near-duplicates.
    private static let lastMiddles = ["", "er", "in", "ow", "el", "an", "is", "or", "ing", "am"]
    private static let lastSuffixes = [
        "son", "ton", "ley", "well", "field", "wood", "ford", "by", "worth", "man", "er", "ing", "ham",
        "stead", "wick", "mond", "croft", "dale", "ridge", "brook", "ñez", "ski", "ini", "sen", "berg",
    ]
    private static let companies = [
        "Acme, Inc.", "Globex Corporation", "Initech LLC", "Umbrella Corp", "Hooli", "Stark Industries",
        "Wayne Enterprises", "Wonka GmbH", "Cyberdyne Systems", "Soylent Co.", "Tyrell Corp.", "Vandelay Ltd",
        "Massive Dynamic", "Aperture Science", "Black Mesa", "Oscorp", "Gringotts PLC", "Monarch S.A.",
        "Nakatomi Trading", "Dunder Mifflin", "Pied Piper", "Prestige Worldwide", "Sterling Cooper", "Bluth Co",
    ]
    private static let personalDomains = ["gmail.com", "outlook.com", "icloud.com", "yahoo.com", "proton.me", "gmx.de"]
    private static let areaCodes = [415, 212, 646, 312, 617, 206, 303, 512, 718, 202, 305, 404, 503, 602, 702, 213]
    private static let nicknames = [
        "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate", "Michael": "Mike",
        "Daniel": "Dan", "David": "Dave", "James": "Jim", "Jonathan": "Jon", "Christopher": "Chris",
        "Alexander": "Alex", "Samuel": "Sam", "Thomas": "Tom", "Anthony": "Tony", "Joseph": "Joe",
        "Nicholas": "Nick", "Margaret": "Peggy", "Richard": "Rick", "Edward": "Ed", "Charles": "Charlie",
        "Jennifer": "Jenny", "Rebecca": "Becky", "Susan": "Sue", "Patricia": "Trish", "Matthew": "Matt",
        "Andrew": "Andy", "Steven": "Steve", "Timothy": "Tim", "Benjamin": "Ben",
    ]

    /// One human's facts, from which each source's record is drawn.
    private struct Human {
        var first: String
        var last: String
        var company: String
        var email: String
        var workEmail: String
        var phone: (area: Int, exchange: Int, line: Int)
        var secondPhone: (area: Int, exchange: Int, line: Int)
        var linkedIn: String
        var memberID: Int
        var handle: String
    }

    static func generate(identities target: Int) -> AddressBook {
        var book = AddressBook()
        var random = SplitMix64(seed: 0x4C6F_616D_2D72_6573)  // "Loam-res"
        book.records.reserveCapacity(target / 2)
        while book.identityCount < target {
            let human = makeHuman(book.humans, &random)
            book.humans += 1
            // One human in 1–4 sources: 35 % one, 30 % two, 25 % three, 10 % four.
            let roll = random.below(100)
            let appearances = roll < 35 ? 1 : roll < 65 ? 2 : roll < 90 ? 3 : 4
            var sources = ["mail", "vcard", "linkedin", "csv"]
            for index in sources.indices.reversed() {
                sources.swapAt(index, random.below(index + 1))
            }
            for source in sources.prefix(appearances) {
                book.append(record(of: human, in: source, &random))
            }
            // Name-only near-duplicates and conflicts, none sharing an identifier that would merge them.
            if random.chance(3) {
                book.append(
                    RawRecord(
                        name: "\(human.first) \(human.last)", company: human.company, source: "csv",
                        identities: [(.email, "\(human.first).\(human.last).\(book.humans)@old-job.example")]))
            }
            if random.chance(3), let nickname = nicknames[human.first] {
                book.append(
                    RawRecord(
                        name: "\(nickname) \(human.last)", company: nil, source: "mail",
                        identities: [(.email, "\(nickname.lowercased())\(book.humans)@\(random.pick(personalDomains))")]
                    ))
            }
            if random.chance(1) {
                // A colleague writing from the same team mailbox, with their own LinkedIn profile.
                book.append(
                    RawRecord(
                        name: "\(random.pick(firstNames)) \(human.last)", company: human.company, source: "linkedin",
                        identities: [
                            (.email, human.email.uppercased()),
                            (.profileURL, "https://www.linkedin.com/in/colleague-\(book.humans)/"),
                        ]))
            }
        }
        return book
    }

    private mutating func append(_ record: RawRecord) {
        records.append(record)
        identityCount += record.identities.count
    }

    private static func makeHuman(_ index: Int, _ random: inout SplitMix64) -> Human {
        let first = random.pick(firstNames)
        let last = random.pick(lastPrefixes) + random.pick(lastMiddles) + random.pick(lastSuffixes)
        let company = random.pick(companies)
        let asciiFirst = first.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        let asciiLast = last.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        let companyDomain = company.prefix { $0.isLetter }.lowercased() + ".example"
        func phone() -> (Int, Int, Int) {
            (random.pick(areaCodes), 200 + random.below(800), random.below(10_000))
        }
        return Human(
            first: first, last: last, company: company,
            email: "\(asciiFirst).\(asciiLast)\(index)@\(random.pick(personalDomains))",
            workEmail: "\(asciiFirst.prefix(1))\(asciiLast)\(index)@\(companyDomain)",
            phone: phone(), secondPhone: phone(),
            linkedIn: "\(asciiFirst)-\(asciiLast)-\(String(index, radix: 36))",
            memberID: 10_000_000 + index, handle: "\(asciiFirst)_\(asciiLast)\(index % 1000)")
    }

    private static func formatPhone(_ phone: (area: Int, exchange: Int, line: Int), _ random: inout SplitMix64)
        -> String
    {
        let line = String(phone.line).leftPadded(to: 4)
        switch random.below(3) {
        case 0: return "+1 \(phone.area) \(phone.exchange) \(line)"
        case 1: return "(\(phone.area)) \(phone.exchange)-\(line)"
        default: return "\(phone.area).\(phone.exchange).\(line)"
        }
    }

    private static func record(of human: Human, in source: String, _ random: inout SplitMix64) -> RawRecord {
        var identities: [(IdentityKind, String)] = []
        var name = "\(human.first) \(human.last)"
        var company: String? = human.company
        switch source {
        case "mail":
            // Mail headers give a display name (sometimes "Last, First") and an address in any case.
            if random.chance(20) { name = "\(human.last), \(human.first)" }
            company = nil
            identities.append((.email, random.chance(50) ? human.email : human.email.uppercased()))
            if random.chance(30) { identities.append((.email, human.workEmail)) }
        case "vcard":
            if random.chance(10) { name = "Dr. \(name)" }
            if random.chance(80) { identities.append((.email, "\(human.first) <\(human.email)>")) }
            identities.append((.phone, formatPhone(human.phone, &random)))
            if random.chance(40) { identities.append((.phone, formatPhone(human.secondPhone, &random))) }
            if random.chance(40) { identities.append((.email, human.workEmail)) }
            if random.chance(30) { identities.append((.profileURL, "linkedin.com/in/\(human.linkedIn)")) }
            if random.chance(15) { identities.append((.handle, "@" + human.handle)) }
        case "linkedin":
            identities.append((.profileURL, "https://www.linkedin.com/in/\(human.linkedIn)/?trk=people-guest"))
            identities.append((.sourceID, "linkedin:urn:li:member:\(human.memberID)"))
            if random.chance(70) { identities.append((.email, human.email)) }
        default:  // csv (Google/Outlook contacts)
            identities.append((.email, random.chance(70) ? human.email : human.workEmail))
            identities.append((.phone, formatPhone(human.phone, &random)))
            if random.chance(50) { identities.append((.email, human.workEmail)) }
        }
        return RawRecord(name: name, company: company, source: source, identities: identities)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
