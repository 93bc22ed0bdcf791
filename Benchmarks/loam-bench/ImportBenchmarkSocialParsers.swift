import Foundation
import LoamKit

/// The contact-list readers' passes of `loam-bench import parse`, one per file `ImportBenchmarkSocial` wrote.
/// "Fields read" are the identifiers and dates each record came with: bench_import_peers.py counts the same over
/// the same rows, so equal counts show both sides extracted the same things.
enum ImportBenchmarkSocialParsers {
    static func run(folder: String) throws {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let google = path(ImportBenchmarkSocial.googleName)
        let linkedIn = path(ImportBenchmarkSocial.linkedInName)
        let outlook = path(ImportBenchmarkSocial.outlookName)
        let facebook = path(ImportBenchmarkSocial.facebookName)
        let x = path(ImportBenchmarkSocial.xName)
        try ImportBenchmarkParsers.measure("google_csv", "GoogleContactsCSVReader", path: google, unit: "contacts") {
            try tally(GoogleContactsCSVReader(path: google))
        }
        try ImportBenchmarkParsers.measure("linkedin", "LinkedInConnectionsReader", path: linkedIn, unit: "connections")
        {
            try tally(LinkedInConnectionsReader(path: linkedIn))
        }
        try ImportBenchmarkParsers.measure("outlook_csv", "OutlookContactsCSVReader", path: outlook, unit: "contacts") {
            try tally(OutlookContactsCSVReader(path: outlook))
        }
        try ImportBenchmarkParsers.measure("facebook", "FacebookFriendsReader", path: facebook, unit: "friends") {
            try tally(FacebookFriendsReader(path: facebook))
        }
        try ImportBenchmarkParsers.measure("x", "XFollowsReader", path: x, unit: "accounts") {
            try tally(XFollowsReader(path: x))
        }
    }

    /// Generic, not over `any ContactListReader`, so each reader's `next()` is called directly.
    private static func tally<Reader: ContactListReader>(_ reader: Reader) throws -> ImportBenchmarkParsers.Tally {
        var tally = ImportBenchmarkParsers.Tally()
        while let item = try reader.next() {
            switch item {
            case .contact(let record):
                tally.records += 1
                tally.touched +=
                    record.identifiers.count + (record.connectedAt == nil ? 0 : 1) + (record.birthday == nil ? 0 : 1)
            case .skipped: tally.skipped += 1
            }
        }
        return tally
    }
}
