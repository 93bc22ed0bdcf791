import Foundation

/// The people, words and lines the generated mailbox, calendar and address book are made of, drawn once from a
/// seed so that every run writes the same bytes. Names mix plain ASCII with accents, other scripts and the
/// "Last, First" spelling that forces quotes, because those are what make header parsing slow or wrong.
struct ImportBenchmarkCorpus {
    struct Person {
        var name: String
        var first: String
        var last: String
        var address: String
        var isASCII: Bool
    }

    /// The correspondents who come back: mail, meetings and cards are mostly among these.
    let people: [Person]
    /// Lines of plain text, about 70 characters, that bodies and descriptions are cut from.
    let lines: [String]
    let subjects: [String]
    let domains = [
        "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "fastmail.com", "acme-robotics.com", "northwind.io",
        "globex.co.uk", "initech.de", "umbrella.fr", "hooli.xyz", "example.org", "uni-heidelberg.de", "stanford.edu",
    ]
    let bulkSenders = [
        "newsletter@news.shopify-store.com", "noreply@github.com", "notifications@linkedin.com",
        "no-reply@accounts.google.com", "digest@substack.com", "updates@airline-mail.com",
    ]

    static let firstNames: [(String, Bool)] = [
        ("James", true), ("Mary", true), ("Robert", true), ("Patricia", true), ("John", true), ("Jennifer", true),
        ("Michael", true), ("Linda", true), ("David", true), ("Elizabeth", true), ("William", true), ("Barbara", true),
        ("Dana", true), ("Priya", true), ("Wei", true), ("Fatima", true), ("Olusegun", true), ("Hiroshi", true),
        ("José", false), ("Zoë", false), ("Björn", false), ("Łukasz", false), ("François", false), ("Ørjan", false),
        ("Núria", false), ("Søren", false), ("İlkay", false), ("Małgorzata", false), ("Renée", false),
        ("Jürgen", false),
        ("明", false), ("Дмитрий", false), ("Αλέξανδρος", false), ("محمد", false),
    ]
    static let lastNames: [(String, Bool)] = [
        ("Smith", true), ("Johnson", true), ("Williams", true), ("Brown", true), ("Jones", true), ("Miller", true),
        ("Davis", true), ("Wilson", true), ("Anderson", true), ("Taylor", true), ("Oster", true), ("Nakamura", true),
        ("Okafor", true), ("Chen", true), ("Patel", true), ("O'Brien", true), ("García", false), ("Müller", false),
        ("Šimek", false), ("Lefèvre", false), ("Ångström", false), ("Özdemir", false), ("Wójcik", false),
        ("Núñez", false), ("田中", false), ("Иванов", false), ("Παπαδόπουλος", false),
    ]
    static let words = """
        the meeting agenda for next week includes budget review and the roadmap we discussed on thursday please \
        send your comments before friday so that i can update the slides attached is the draft of the contract \
        with the changes our lawyer asked for let me know if the numbers look right to you thanks again for \
        lunch it was great to catch up and hear about the new project i will be out of office from monday \
        to wednesday with limited access to email could you forward this to the rest of the team the invoice \
        is overdue and accounting would like to close the quarter shipping was delayed by the storm but the \
        parts should arrive tomorrow morning we are hiring two engineers and a designer if you know anyone
        """.split(separator: " ").map(String.init)

    init(seed: UInt64, people count: Int = 5000) {
        var random = SplitMix64(seed: seed)
        let domains = self.domains
        people = (0..<count).map { index in
            let (first, firstASCII) = random.pick(Self.firstNames)
            let (last, lastASCII) = random.pick(Self.lastNames)
            let local = "\(Self.ascii(first)).\(Self.ascii(last))\(index % 7 == 0 ? "\(index)" : "")".lowercased()
            return Person(
                name: "\(first) \(last)", first: first, last: last, address: "\(local)@\(random.pick(domains))",
                isASCII: firstASCII && lastASCII)
        }
        lines = (0..<2048).map { _ in
            var line = ""
            while line.count < 60 {
                line += (line.isEmpty ? "" : " ") + random.pick(Self.words)
            }
            return line.prefix(1).uppercased() + line.dropFirst()
        }
        subjects = (0..<1024).map { _ in
            (0..<(3 + random.below(8))).map { _ in random.pick(Self.words) }.joined(separator: " ").capitalized
        }
    }

    /// What an address's local part makes of a name: `José` becomes `jose`, `田中` becomes `u7530`.
    static func ascii(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive], locale: nil).replacingOccurrences(of: "'", with: "")
            .replacingOccurrences(of: "ł", with: "l").replacingOccurrences(of: "Ł", with: "L")
            .replacingOccurrences(of: "ø", with: "o").replacingOccurrences(of: "Ø", with: "O")
            .replacingOccurrences(of: "ı", with: "i")
        if folded.unicodeScalars.allSatisfy({ $0.isASCII }) { return folded }
        return "u" + String(name.unicodeScalars.first?.value ?? 0, radix: 16)
    }
}
