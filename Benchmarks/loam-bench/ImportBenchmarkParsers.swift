import Foundation
import LoamKit

/// `loam-bench import parse`: each of Loam's streaming readers over its generated file, in this process, one
/// timed pass each from opening the file to the last record. The files were just written, so they are in the
/// page cache for Loam and the Python peers alike: both sides are timed parsing, not the disk.
/// Each pass touches what it read (addresses, emails) so that no work can be optimized away.
enum ImportBenchmarkParsers {
    static func run(folder: String) throws {
        let mbox = (folder as NSString).appendingPathComponent(ImportBenchmark.mboxName)
        let contacts = (folder as NSString).appendingPathComponent(ImportBenchmark.contactsName)
        let calendar = (folder as NSString).appendingPathComponent(ImportBenchmark.calendarName)

        try measure("mbox", "MboxReader", path: mbox, unit: "messages") {
            let reader = try MboxReader(path: mbox)
            var tally = Tally()
            while let item = try reader.next() {
                switch item {
                case .message(let headers):
                    tally.records += 1
                    tally.touched += headers.from.count + headers.to.count + headers.cc.count + headers.references.count
                case .skipped: tally.skipped += 1
                }
            }
            return tally
        }
        try measure("vcf", "VCardReader", path: contacts, unit: "cards") {
            let reader = try VCardReader(path: contacts)
            var tally = Tally()
            while let item = try reader.next() {
                switch item {
                case .card(let card):
                    tally.records += 1
                    tally.touched += card.emails.count + card.phones.count
                case .skipped: tally.skipped += 1
                }
            }
            return tally
        }
        try ImportBenchmarkCalendarParser.measure(path: calendar)
        try ImportBenchmarkSocialParsers.run(folder: folder)
    }

    struct Tally {
        var records = 0
        var skipped = 0
        /// Fields read from the records: printed, so the optimizer must compute them.
        var touched = 0
    }

    /// Times `body` and prints the `loam_<format>_…` figures the report reads.
    static func measure(_ format: String, _ reader: String, path: String, unit: String, _ body: () throws -> Tally)
        throws
    {
        let bytes = try ImportBenchmark.fileSize(path)
        let clock = ContinuousClock()
        let start = clock.now
        let tally = try body()
        let seconds = ImportBenchmark.seconds(clock.now - start)
        print(
            "  Loam \(reader): \(ImportBenchmark.megabytes(bytes)) MB, \(tally.records) \(unit) (\(tally.skipped) skipped) in "
                + "\(MailBenchmark.format(seconds)) s: \(MailBenchmark.format(Double(bytes) / 1e6 / seconds, digits: 1)) MB/s, "
                + "\(Int(Double(tally.records) / seconds)) \(unit)/s (\(tally.touched) fields read)")
        print("loam_\(format)_bytes \(bytes)")
        print("loam_\(format)_records \(tally.records)")
        print("loam_\(format)_skipped \(tally.skipped)")
        print("loam_\(format)_seconds \(MailBenchmark.format(seconds, digits: 6))")
        print("loam_\(format)_fields \(tally.touched)")
    }
}
