import Foundation

/// The contact-list files of issue #10's benchmark rows: a Google contacts CSV, a LinkedIn `Connections.csv`, an
/// Outlook contacts CSV, a Facebook `your_friends.json` and an X `following.js`, written from the import
/// benchmark's seed beside the mbox, calendar and address book, so Loam's readers and Python's `csv` and `json`
/// read the very same bytes.
enum ImportBenchmarkSocial {
    /// How many records each file holds; `scripts/bench import` can change each.
    struct Sizes {
        var googleRows = 100_000
        var linkedInRows = 100_000
        var outlookRows = 100_000
        var facebookFriends = 200_000
        var xAccounts = 200_000
    }

    static let googleName = "google-contacts.csv", linkedInName = "Connections.csv",
        outlookName = "outlook-contacts.csv"
    static let facebookName = "your_friends.json", xName = "following.js"

    /// The generate options, as `loam-bench import generate` takes them.
    static let usage =
        "[--google-rows N] [--linkedin-rows N] [--outlook-rows N] [--facebook-friends N] [--x-accounts N]"

    static func sizes(_ number: (String, Int) throws -> Int) throws -> Sizes {
        let defaults = Sizes()
        return Sizes(
            googleRows: try number("google-rows", defaults.googleRows),
            linkedInRows: try number("linkedin-rows", defaults.linkedInRows),
            outlookRows: try number("outlook-rows", defaults.outlookRows),
            facebookFriends: try number("facebook-friends", defaults.facebookFriends),
            xAccounts: try number("x-accounts", defaults.xAccounts))
    }

    /// Writes the five files into `folder` and prints their sizes and the `generated_<format>_records` figures.
    static func generate(folder: String, sizes: Sizes, corpus: ImportBenchmarkCorpus, seed: UInt64) throws {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let clock = ContinuousClock()
        let start = clock.now
        let files: [(name: String, records: Int, unit: String, bytes: Int64)] = [
            (
                googleName, sizes.googleRows, "rows",
                try ImportBenchmarkSocialCSV.writeGoogle(
                    path: path(googleName), rows: sizes.googleRows, corpus: corpus, seed: seed &+ 3)
            ),
            (
                linkedInName, sizes.linkedInRows, "rows",
                try ImportBenchmarkSocialCSV.writeLinkedIn(
                    path: path(linkedInName), rows: sizes.linkedInRows, corpus: corpus, seed: seed &+ 4)
            ),
            (
                outlookName, sizes.outlookRows, "rows",
                try ImportBenchmarkSocialCSV.writeOutlook(
                    path: path(outlookName), rows: sizes.outlookRows, corpus: corpus, seed: seed &+ 5)
            ),
            (
                facebookName, sizes.facebookFriends, "friends",
                try ImportBenchmarkSocialJSON.writeFacebook(
                    path: path(facebookName), friends: sizes.facebookFriends, corpus: corpus, seed: seed &+ 6)
            ),
            (
                xName, sizes.xAccounts, "accounts",
                try ImportBenchmarkSocialJSON.writeX(path: path(xName), accounts: sizes.xAccounts, seed: seed &+ 7)
            ),
        ]
        let seconds = ImportBenchmark.seconds(clock.now - start)
        print(
            "  generated in \(MailBenchmark.format(seconds, digits: 1)) s: "
                + files.map { "\($0.name) \(ImportBenchmark.megabytes($0.bytes)) MB (\($0.records) \($0.unit))" }
                .joined(separator: ", "))
        print("generated_google_csv_records \(sizes.googleRows)")
        print("generated_linkedin_records \(sizes.linkedInRows)")
        print("generated_outlook_csv_records \(sizes.outlookRows)")
        print("generated_facebook_records \(sizes.facebookFriends)")
        print("generated_x_records \(sizes.xAccounts)")
    }
}
