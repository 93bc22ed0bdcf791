import Foundation

/// Writes an Apple Contacts-like vCard 3.0 export: N and FN with accents and other scripts, ORG and TITLE,
/// typed EMAIL and TEL, `itemN.` groups carrying X-ABLabel, ADR, URL, birthdays with and without a year
/// (Apple's 1604 and X-APPLE-OMIT-YEAR), escaped NOTEs, and now and then a small base64 PHOTO, folded with CRLF.
enum ImportBenchmarkContacts {
    /// Writes `cards` vCards; returns the file's size.
    static func write(path: String, cards: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        for index in 0..<cards {
            // The first cards are the correspondents; the rest are people the mail never saw.
            let person = index < corpus.people.count ? corpus.people[index] : random.pick(corpus.people)
            let address =
                index < corpus.people.count ? person.address : "contact\(index)@\(random.pick(corpus.domains))"
            try writer.write(card(person, address: address, index: index, corpus: corpus, &random))
        }
        try writer.close()
        return writer.bytesWritten
    }

    private static func card(
        _ person: ImportBenchmarkCorpus.Person, address: String, index: Int, corpus: ImportBenchmarkCorpus,
        _ random: inout SplitMix64
    ) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.4//EN"]
        lines.append("N:\(BenchmarkEncoding.escaped(person.last));\(BenchmarkEncoding.escaped(person.first));;;")
        lines.append("FN:\(BenchmarkEncoding.escaped(person.name))")
        if random.chance(60) {
            lines.append(
                "ORG:\(random.pick(["Acme Robotics", "Northwind", "Globex Ltd.", "Initech GmbH", "Umbrella SA"]));\(random.pick(["Engineering", "Sales", ""]))"
            )
            lines.append("TITLE:\(random.pick(["Engineer", "Head of Sales", "Designer", "CTO", "Account Manager"]))")
        }
        lines.append("EMAIL;type=INTERNET;type=\(random.pick(["WORK", "HOME"]));type=pref:\(address)")
        if random.chance(30) { lines.append("EMAIL;type=INTERNET;type=HOME:\(Self.alternate(address, index))") }
        let area = 200 + random.below(800)
        let exchange = 200 + random.below(800)
        let line = random.below(10_000)
        let number = random.pick([
            "+1 (\(area)) \(exchange)-\(String(format: "%04d", line))",
            "(\(area)) \(exchange)-\(String(format: "%04d", line))",
            "+49 30 \(exchange)\(String(format: "%04d", line))", "\(area).\(exchange).\(String(format: "%04d", line))",
        ])
        lines.append("TEL;type=\(random.pick(["CELL", "WORK", "HOME"]));type=VOICE;type=pref:\(number)")
        if random.chance(40) {
            lines.append(
                "item1.ADR;type=HOME;type=pref:;;\(1 + random.below(999)) Main Street;Springfield;IL;62704;USA")
            lines.append("item1.X-ABADR:us")
        }
        if random.chance(30) {
            lines.append(
                "item2.URL;type=pref:https\\://www.linkedin.com/in/\(ImportBenchmarkCorpus.ascii(person.first).lowercased())-\(index)"
            )
            lines.append("item2.X-ABLabel:_$!<HomePage>!$_")
        }
        if random.chance(20) {
            lines.append("item3.X-ABRELATEDNAMES:\(random.pick(corpus.people).name)")
            lines.append("item3.X-ABLabel:_$!<Spouse>!$_")
        }
        switch random.below(10) {
        case 0..<3:
            lines.append(
                "BDAY:\(1950 + random.below(50))-\(BenchmarkDate.pad(1 + random.below(12)))-\(BenchmarkDate.pad(1 + random.below(28)))"
            )
        case 3:
            lines.append(
                "BDAY;X-APPLE-OMIT-YEAR=1604:1604-\(BenchmarkDate.pad(1 + random.below(12)))-\(BenchmarkDate.pad(1 + random.below(28)))"
            )
        default: break
        }
        if random.chance(25) {
            lines.append(
                "NOTE:"
                    + BenchmarkEncoding.escaped(
                        (0..<(1 + random.below(3))).map { _ in random.pick(corpus.lines) }.joined(separator: "\n")))
        }
        if random.chance(5) {
            var data = Data()
            for _ in 0..<(40 + random.below(80)) { withUnsafeBytes(of: random.next()) { data.append(contentsOf: $0) } }
            lines.append("PHOTO;ENCODING=b;TYPE=JPEG:" + data.base64EncodedString())
        }
        lines.append("UID:\(String(random.next(), radix: 16).uppercased())-\(index)")
        lines.append("X-ABUID:\(String(random.next(), radix: 16).uppercased()):ABPerson")
        lines.append("END:VCARD")
        return lines.map(BenchmarkEncoding.folded).joined()
    }

    private static func alternate(_ address: String, _ index: Int) -> String {
        let local = address.split(separator: "@")[0]
        return "\(local).home\(index)@gmail.com"
    }
}
