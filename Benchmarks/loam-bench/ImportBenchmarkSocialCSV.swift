import Foundation

/// Writes the three contacts CSV exports of the benchmark, each in the layout and with the quirks of the real one
/// (Tests/Fixtures/csv/README.md says where each is seen): quotes only where a field needs them (Google,
/// LinkedIn) or around every field (Outlook), commas and doubled quotes inside quoted fields, multi-line notes and
/// addresses, Google's ` ::: ` multi-values and `* ` primary labels, LinkedIn's Notes preamble.
enum ImportBenchmarkSocialCSV {
    static let companies = [
        "Acme Robotics", "Northwind", "Globex, Ltd.", "Initech GmbH", "Umbrella SA", "Hooli", "Blue Harbor, Inc.",
        "Müller & Söhne KG", "The \"Quoted\" Company", "Stark Industries", "Wayne Enterprises",
        "Société Générale d’Exemple",
    ]
    static let titles = [
        "Engineer", "Head of Sales", "Designer", "CTO", "Account Manager", "VP, Sales", "Product Manager",
        "Senior Software Engineer", "Directrice des Ventes", "Founder & CEO", "Recruiter", "Data Scientist",
    ]

    // MARK: Google

    /// The current layout (2020 on), with as many numbered columns as the busiest contact needs, as Google writes.
    static let googleHeader = [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
        "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
        "Organization Department", "Birthday", "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
        "E-mail 2 - Label", "E-mail 2 - Value", "E-mail 3 - Label", "E-mail 3 - Value", "Phone 1 - Label",
        "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value", "Phone 3 - Label", "Phone 3 - Value",
        "Address 1 - Label",
        "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
        "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address", "Website 1 - Label",
        "Website 1 - Value", "Website 2 - Label", "Website 2 - Value",
    ]

    /// A Google contacts CSV of `rows` contacts after its header, UTF-8 with a BOM and CRLF; returns its size.
    static func writeGoogle(path: String, rows: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write("\u{FEFF}" + googleHeader.joined(separator: ",") + "\r\n")
        let column = Dictionary(uniqueKeysWithValues: googleHeader.enumerated().map { ($1, $0) })
        for index in 0..<rows {
            let person = index < corpus.people.count ? corpus.people[index] : random.pick(corpus.people)
            var fields = [String](repeating: "", count: googleHeader.count)
            func set(_ name: String, _ value: String) { fields[column[name]!] = value }
            set("First Name", person.first)
            if random.chance(10) { set("Middle Name", random.pick(["Anne", "Marie", "J.", "Lee"])) }
            set("Last Name", person.last)
            if random.chance(5) { set("Nickname", String(person.first.prefix(3))) }
            if random.chance(50) {
                set("Organization Name", random.pick(companies))
                set("Organization Title", random.pick(titles))
            }
            switch random.below(10) {
            case 0, 1:
                set(
                    "Birthday",
                    "\(1950 + random.below(50))-\(BenchmarkDate.pad(1 + random.below(12)))-\(BenchmarkDate.pad(1 + random.below(28)))"
                )
            case 2:
                set(
                    "Birthday",
                    "--\(BenchmarkDate.pad(1 + random.below(12)))-\(BenchmarkDate.pad(1 + random.below(28)))")
            default: break
            }
            if random.chance(15) { set("Notes", note(corpus, &random)) }
            if random.chance(10) {
                set("Photo", "https://lh3.googleusercontent.com/contacts/\(String(random.next(), radix: 36))")
            }
            set(
                "Labels",
                random.chance(30) ? "* myContacts ::: \(random.pick(["Work", "Family", "Friends"]))" : "* myContacts")
            let address =
                index < corpus.people.count ? person.address : "contact\(index)@\(random.pick(corpus.domains))"
            set("E-mail 1 - Label", random.pick(["* Work", "* Home", "Work", "Home", "Other"]))
            // Two addresses of one label share a cell, joined by " ::: ".
            set("E-mail 1 - Value", random.chance(15) ? "\(address) ::: \(alternate(address, index))" : address)
            if random.chance(25) {
                set("E-mail 2 - Label", random.pick(["Home", "Other"]))
                set("E-mail 2 - Value", "\(person.first.lowercased()).\(index)@\(random.pick(corpus.domains))")
            }
            if random.chance(3) {
                set("E-mail 3 - Label", "Other")
                set("E-mail 3 - Value", "old.\(index)@\(random.pick(corpus.domains))")
            }
            if random.chance(70) {
                set("Phone 1 - Label", random.pick(["* Mobile", "Mobile", "Work", "Home"]))
                set("Phone 1 - Value", random.chance(10) ? "\(phone(&random)) ::: \(phone(&random))" : phone(&random))
            }
            if random.chance(20) {
                set("Phone 2 - Label", random.pick(["Work", "Home"]))
                set("Phone 2 - Value", phone(&random))
            }
            if random.chance(3) {
                set("Phone 3 - Label", "Other")
                set("Phone 3 - Value", phone(&random))
            }
            if random.chance(20) {
                let street = "\(1 + random.below(999)) Main Street"
                let city = random.pick(["Springfield", "London", "Berlin", "Lyon"])
                set("Address 1 - Label", "Home")
                set("Address 1 - Formatted", "\(street)\n\(city) \(10_000 + random.below(89_999))\nUSA")
                set("Address 1 - Street", street)
                set("Address 1 - City", city)
                set("Address 1 - Postal Code", "\(10_000 + random.below(89_999))")
                set("Address 1 - Country", "USA")
            }
            if random.chance(15) {
                set("Website 1 - Label", "Profile")
                set(
                    "Website 1 - Value",
                    "https://www.linkedin.com/in/\(ImportBenchmarkCorpus.ascii(person.first).lowercased())-\(index)")
            }
            try writer.write(fields.map(quotedIfNeeded).joined(separator: ",") + "\r\n")
        }
        try writer.close()
        return writer.bytesWritten
    }

    // MARK: LinkedIn

    static let linkedInPreamble = """
        Notes:
        "When exporting your connection data, you may notice that some of the email addresses are missing. You will \
        only see email addresses for connections who have allowed their connections to see or download their email \
        address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here \
        https://www.linkedin.com/help/linkedin/answer/261"

        First Name,Last Name,URL,Email Address,Company,Position,Connected On

        """

    /// A LinkedIn `Connections.csv` in its current layout (Notes preamble, URL column, `05 Dec 2025` dates, LF);
    /// as in real exports, most connections hide their email. Returns its size.
    static func writeLinkedIn(path: String, rows: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write(linkedInPreamble)
        var connected = 1_765_000_000  // December 2025, going back: the newest connections come first.
        for index in 0..<rows {
            let person = index < corpus.people.count ? corpus.people[index] : random.pick(corpus.people)
            connected -= random.below(20_000)
            let date = BenchmarkDate(secondsSince1970: connected)
            let slug = "\(ImportBenchmarkCorpus.ascii(person.first))-\(ImportBenchmarkCorpus.ascii(person.last))"
                .lowercased()
            let fields = [
                person.first, person.last,
                "https://www.linkedin.com/in/\(slug)-\(String(random.next() % 0xFFFFFF, radix: 16))",
                random.chance(12) ? person.address : "", random.chance(85) ? random.pick(companies) : "",
                random.chance(85) ? random.pick(titles) : "",
                "\(BenchmarkDate.pad(date.day)) \(BenchmarkDate.months[date.month - 1]) \(date.year)",
            ]
            try writer.write(fields.map(quotedIfNeeded).joined(separator: ",") + "\n")
        }
        try writer.close()
        return writer.bytesWritten
    }

    // MARK: Outlook

    /// Outlook on the web's export layout: every field quoted, CRLF.
    static let outlookHeader = [
        "First Name", "Middle Name", "Last Name", "Title", "Suffix", "Nickname", "Given Yomi", "Surname Yomi",
        "E-mail Address",
        "E-mail 2 Address", "E-mail 3 Address", "Home Phone", "Home Phone 2", "Business Phone", "Business Phone 2",
        "Mobile Phone", "Car Phone", "Other Phone", "Primary Phone", "Pager", "Business Fax", "Home Fax", "Other Fax",
        "Company Main Phone", "Callback", "Radio Phone", "Telex", "TTY/TDD Phone", "IMAddress", "Job Title",
        "Department",
        "Company", "Office Location", "Manager's Name", "Assistant's Name", "Assistant's Phone", "Company Yomi",
        "Business Street", "Business City", "Business State", "Business Postal Code", "Business Country/Region",
        "Home Street", "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street",
        "Other City",
        "Other State", "Other Postal Code", "Other Country/Region", "Personal Web Page", "Spouse", "Schools", "Hobby",
        "Location", "Web Page", "Birthday", "Anniversary", "Notes",
    ]

    /// An Outlook contacts CSV of `rows` contacts; returns its size.
    static func writeOutlook(path: String, rows: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write(outlookHeader.map(quoted).joined(separator: ",") + "\r\n")
        let column = Dictionary(uniqueKeysWithValues: outlookHeader.enumerated().map { ($1, $0) })
        for index in 0..<rows {
            let person = index < corpus.people.count ? corpus.people[index] : random.pick(corpus.people)
            var fields = [String](repeating: "", count: outlookHeader.count)
            func set(_ name: String, _ value: String) { fields[column[name]!] = value }
            set("First Name", person.first)
            if random.chance(8) { set("Middle Name", random.pick(["Anne", "Marie", "J.", "Lee"])) }
            set("Last Name", person.last)
            if random.chance(5) { set("Title", random.pick(["Dr.", "Ms.", "Mr."])) }
            if random.chance(90) {
                set(
                    "E-mail Address",
                    index < corpus.people.count ? person.address : "contact\(index)@\(random.pick(corpus.domains))")
            }
            if random.chance(20) {
                set("E-mail 2 Address", "\(person.first.lowercased()).\(index)@\(random.pick(corpus.domains))")
            }
            if random.chance(50) { set("Mobile Phone", phone(&random)) }
            if random.chance(30) { set("Business Phone", phone(&random)) }
            if random.chance(10) { set("Home Phone", phone(&random)) }
            if random.chance(5) { set("Business Fax", phone(&random)) }
            if random.chance(50) {
                set("Job Title", random.pick(titles))
                set("Company", random.pick(companies))
            }
            if random.chance(10) {
                set(
                    "Web Page",
                    "https://www.linkedin.com/in/\(ImportBenchmarkCorpus.ascii(person.first).lowercased())-\(index)")
            }
            if random.chance(15) {
                set("Birthday", "\(1 + random.below(12))/\(1 + random.below(28))/\(1950 + random.below(50))")
            }
            if random.chance(10) { set("Notes", note(corpus, &random)) }
            try writer.write(fields.map(quoted).joined(separator: ",") + "\r\n")
        }
        try writer.close()
        return writer.bytesWritten
    }

    // MARK: Fields

    /// One to three lines of text, now and then with a quote in it.
    private static func note(_ corpus: ImportBenchmarkCorpus, _ random: inout SplitMix64) -> String {
        let lines = (0..<(1 + random.below(3))).map { _ in random.pick(corpus.lines) }
        return (random.chance(20) ? ["\"Call after 6\""] + lines : lines).joined(separator: "\n")
    }

    private static func phone(_ random: inout SplitMix64) -> String {
        let area = 200 + random.below(800)
        let exchange = 200 + random.below(800)
        let line = String(format: "%04d", random.below(10_000))
        return random.pick([
            "+1 \(area)-\(exchange)-\(line)", "(\(area)) \(exchange)-\(line)", "+49 30 \(exchange)\(line)",
            "+44 20 7946 \(line)",
        ])
    }

    private static func alternate(_ address: String, _ index: Int) -> String {
        "\(address.split(separator: "@")[0]).home\(index)@gmail.com"
    }

    /// RFC 4180: quotes around a field with a comma, quote or line break, its quotes doubled.
    static func quotedIfNeeded(_ field: String) -> String {
        field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } ? quoted(field) : field
    }

    static func quoted(_ field: String) -> String {
        "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
