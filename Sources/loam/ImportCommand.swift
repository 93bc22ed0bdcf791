import ArgumentParser
import Foundation
import LoamServer

/// `loam import --user EMAIL FILE…`: mail, calendars, contacts and the social exports into a user's own people.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import mailboxes, calendars, contacts and social-network exports into a user's people.",
        discussion: """
            The format is read from each file's content. Each path may be the export's file, the folder it unpacks to,
            or the zip as downloaded. Mail is read for its headers only, never a body; iMessage for counts, never text.
            Importing the same file again adds nothing; an import stopped half-way is finished by running it again.
            """)

    @Option(help: "The account whose people the files go to.")
    var user: String

    @Option(
        help:
            "mbox, vcard, ics, linkedin, google-csv, outlook-csv, facebook, x or imessage; the default reads it from each file."
    )
    var format: String?

    @Option(name: .customLong("me"), help: "Another address of yours, which is not a person (repeatable).")
    var myAddresses: [String] = []

    @Flag(help: "Print one JSON summary line per file on standard output.")
    var json = false

    @Argument(help: "The files, folders or zips to import.")
    var files: [String]

    func run() async throws {
        let configuration = LoamRuntime.loadConfiguration()
        LoamRuntime.bootstrapLogging(level: configuration.logLevel)
        // A progress bar only for a person watching: standard error is a terminal.
        let showsBar = isatty(STDERR_FILENO) == 1
        let json = self.json
        let progress: (@Sendable (String, Int64, Int64) -> Void)? = showsBar ? Self.drawBar : nil
        let report: @Sendable (Result<ImportSummary, ImportError>) -> Void = { result in
            if showsBar { FileHandle.standardError.write(Data("\n".utf8)) }
            Self.report(result, json: json)
        }
        let succeeded: Bool
        do {
            succeeded = try await LoamRuntime.importFiles(
                configuration, userEmail: user, format: format, myAddresses: myAddresses, files: files,
                progress: progress,
                report: report)
        } catch {
            throw ExitCode.failure
        }
        if !succeeded { throw ExitCode.failure }
    }

    @Sendable
    static func drawBar(_ file: String, _ done: Int64, _ total: Int64) {
        let share = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int(share * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        FileHandle.standardError.write(
            Data("\r\((file as NSString).lastPathComponent) [\(bar)] \(Int(share * 100))%".utf8))
    }

    static func report(_ result: Result<ImportSummary, ImportError>, json: Bool) {
        switch result {
        case .success(let summary) where json:
            print(summary.jsonLine())
        case .success(let summary):
            print(
                "\(summary.file): \(summary.format), \(summary.peopleCreated) people added, \(summary.peopleUpdated) updated, "
                    + "\(summary.identities) identifiers, \(summary.interactions) interactions, \(summary.skipped.count) skipped"
            )
            for skipped in summary.skipped {
                print(
                    "  skipped \(skipped.line.map { "line \($0)" } ?? "record \(skipped.record ?? 0)"): \(skipped.reason)"
                )
            }
        case .failure(let error):
            FileHandle.standardError.write(Data("loam import: \(error.description)\n".utf8))
        }
    }
}
