import Foundation
import LoamKit
import LoamServer

/// `loam-bench import …`: the import benchmark of issue #9, in steps that `scripts/bench import` runs in turn so
/// that the Python peers read the very files Loam read, in the same run:
/// - `generate` writes the mailbox (200 MB), calendar (50,000 events) and address book (20,000 cards) from a seed,
///   and the contact lists of issue #10 (`ImportBenchmarkSocial`: Google, LinkedIn and Outlook CSV, Facebook
///   friends, X follows);
///   `generate-mbox` writes one more mbox of another size (the 1 GB one, for the memory figure) from the same seed;
/// - `parse` times Loam's streaming readers over them, in this process;
/// - `end-to-end` imports an mbox into SQLite with the release `loam import` as a child process on a fresh data
///   folder, for its messages a second and its peak memory;
/// - `report` reads every step's `name value` lines (Python's too) and prints the table with the targets.
/// MB are 10⁶ bytes throughout.
enum ImportBenchmark {
    static let usage = """
        usage: loam-bench import generate --folder DIR [--mbox-megabytes N] [--events N] [--cards N]
                   \(ImportBenchmarkSocial.usage)
               loam-bench import generate-mbox --path FILE --megabytes N
               loam-bench import parse --folder DIR
               loam-bench import end-to-end --loam PATH --mbox FILE --label NAME
               loam-bench import report FILE
        Run through scripts/bench import.
        """

    /// One seed for every file: the 1 GB mbox begins with the same messages as the 200 MB one.
    static let seed: UInt64 = 0x4C6F_616D_2D69_6D70  // "Loam-imp"
    static let mboxName = "mail.mbox", calendarName = "calendar.ics", contactsName = "contacts.vcf"

    static func run(_ arguments: [String]) throws {
        guard let step = arguments.first else { throw UsageError(description: usage) }
        var parser = BenchmarkArguments(Array(arguments.dropFirst()), usage: usage)
        var options: [String: String] = [:]
        var positional: [String] = []
        while let flag = parser.nextFlag() {
            if flag.hasPrefix("--") {
                options[String(flag.dropFirst(2))] = try parser.string()
            } else {
                positional.append(flag)
            }
        }
        func required(_ name: String) throws -> String {
            guard let value = options[name] else { throw parser.unknown() }
            return value
        }
        func number(_ name: String, default value: Int) throws -> Int {
            guard let raw = options[name] else { return value }
            guard let number = Int(raw), number > 0 else { throw parser.unknown() }
            return number
        }
        switch step {
        case "generate":
            try generate(
                folder: try required("folder"), mboxMegabytes: try number("mbox-megabytes", default: 200),
                events: try number("events", default: 50_000), cards: try number("cards", default: 20_000),
                social: try ImportBenchmarkSocial.sizes { try number($0, default: $1) })
        case "generate-mbox":
            try generateMbox(path: try required("path"), megabytes: try number("megabytes", default: 1000))
        case "parse":
            try ImportBenchmarkParsers.run(folder: try required("folder"))
        case "end-to-end":
            let loam = try required("loam")
            let mbox = try required("mbox")
            let label = try required("label")
            try runBlocking { try await ImportBenchmarkEndToEnd.run(loam: loam, mbox: mbox, label: label) }
        case "report":
            guard positional.count == 1 else { throw parser.unknown() }
            try ImportBenchmarkReport.print(figuresFile: positional[0])
        default:
            throw parser.unknown()
        }
    }

    private static func generate(
        folder: String, mboxMegabytes: Int, events: Int, cards: Int, social: ImportBenchmarkSocial.Sizes
    ) throws {
        let corpus = ImportBenchmarkCorpus(seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let mbox = (folder as NSString).appendingPathComponent(mboxName)
        let messages = try ImportBenchmarkMbox.write(
            path: mbox, bytes: Int64(mboxMegabytes) * 1_000_000, corpus: corpus, seed: seed)
        let calendarBytes = try ImportBenchmarkCalendar.write(
            path: (folder as NSString).appendingPathComponent(calendarName), events: events, corpus: corpus,
            seed: seed &+ 1)
        let contactsBytes = try ImportBenchmarkContacts.write(
            path: (folder as NSString).appendingPathComponent(contactsName), cards: cards, corpus: corpus,
            seed: seed &+ 2)
        let mboxBytes = try fileSize(mbox)
        print(
            "  generated in \(MailBenchmark.format(seconds(clock.now - start), digits: 1)) s: \(mboxName) \(megabytes(mboxBytes)) MB "
                + "(\(messages) messages), \(calendarName) \(megabytes(calendarBytes)) MB (\(events) events), "
                + "\(contactsName) \(megabytes(contactsBytes)) MB (\(cards) cards)")
        print("generated_mbox_messages \(messages)")
        print("generated_ics_events \(events)")
        print("generated_vcf_cards \(cards)")
        try ImportBenchmarkSocial.generate(folder: folder, sizes: social, corpus: corpus, seed: seed)
    }

    private static func generateMbox(path: String, megabytes: Int) throws {
        let messages = try ImportBenchmarkMbox.write(
            path: path, bytes: Int64(megabytes) * 1_000_000, corpus: ImportBenchmarkCorpus(seed: seed), seed: seed)
        print(
            "  generated \((path as NSString).lastPathComponent): \(ImportBenchmark.megabytes(try fileSize(path))) MB, \(messages) messages"
        )
    }

    static func fileSize(_ path: String) throws -> Int64 {
        ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func megabytes(_ bytes: Int64) -> String { MailBenchmark.format(Double(bytes) / 1e6, digits: 1) }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
