import Fluent
import Foundation
import Testing
import Vapor

@testable import LoamServer

/// `loam import` as a person runs it, including a process killed half-way and run again.
@Suite("loam import", .serialized)
struct ImportCommandTests {
    static let messages = 3_000

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loam-import-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A mailbox from 600 correspondents, five messages each.
    private func bigMailbox(in folder: URL) throws -> String {
        let messages = (0..<Self.messages).map { index in
            ImportFixtures.Message(
                from: "Person \(index % 600) <person\(index % 600)@example.com>", to: "me@example.com",
                subject: "Message \(index)",
                date: "Tue, 03 Mar 2026 10:\(String(format: "%02d", index % 60)):00 +0000",
                messageID: "<m\(index)@example.com>")
        }
        let path = folder.appendingPathComponent("big.mbox").path
        try ImportFixtures.mbox(messages).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func run(_ arguments: [String], input: String = "", in folder: URL) async throws -> (Int32, String, String)
    {
        let loam = LoamProcess(arguments, environment: [:], workingDirectory: folder)
        try loam.start()
        loam.send(input)
        let (status, errors) = try await loam.finish(timeout: .seconds(600))
        return (status, String(decoding: loam.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), errors)
    }

    /// People and interactions in the folder's SQLite database.
    private func totals(in folder: URL) async throws -> (people: Int, interactions: Int, identities: Int) {
        var result = (0, 0, 0)
        try await withLoamApp(adjust: {
            $0.database = .sqlite(path: folder.appendingPathComponent("data/loam.sqlite").path)
        }) { app in
            result = (
                try await Person.query(on: app.db).count(), try await Interaction.query(on: app.db).count(),
                try await PersonIdentity.query(on: app.db).count()
            )
        }
        return result
    }

    @Test("--json prints one summary line per file; a bad file is named on standard error and the others still import")
    func jsonLines() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            try await run(["user", "create", "me@example.com"], input: "long-enough-secret-1\n", in: folder).0 == 0)
        let mbox = folder.appendingPathComponent("mail.mbox").path
        try ImportFixtures.mbox([.init(from: "Dana <dana@example.com>", to: "me@example.com", subject: "Hi")])
            .write(toFile: mbox, atomically: true, encoding: .utf8)
        let junk = folder.appendingPathComponent("notes.txt").path
        try "just some text\n".write(toFile: junk, atomically: true, encoding: .utf8)
        let (status, output, errors) = try await run(
            ["import", "--user", "me@example.com", "--json", mbox, junk], in: folder)
        #expect(status != 0, "one file failed")
        #expect(errors.contains("notes.txt is not a file Loam can import"))
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(summary["file"] as? String == mbox && summary["format"] as? String == "mbox")
        #expect(
            summary["people_created"] as? Int == 1 && summary["interactions"] as? Int == 1
                && summary["identities"] as? Int == 1)
        #expect(summary["people_updated"] as? Int == 0 && (summary["skipped"] as? [Any])?.isEmpty == true)
    }

    @Test("Killed half-way and run again, an import ends with exactly the totals of an uninterrupted run")
    func resumesAfterKill() async throws {
        let clean = try folder()
        let killed = try folder()
        defer {
            try? FileManager.default.removeItem(at: clean)
            try? FileManager.default.removeItem(at: killed)
        }
        for folder in [clean, killed] {
            #expect(
                try await run(["user", "create", "me@example.com"], input: "long-enough-secret-1\n", in: folder).0 == 0)
        }
        let mailbox = try bigMailbox(in: clean)

        let (status, _, _) = try await run(["import", "--user", "me@example.com", mailbox], in: clean)
        #expect(status == 0)
        let expected = try await totals(in: clean)
        #expect(expected == (600, Self.messages, 600))

        // Kill the second import once it has written some batches, long before it could be done.
        let loam = LoamProcess(
            ["import", "--user", "me@example.com", mailbox], environment: [:], workingDirectory: killed)
        try loam.start()
        let wal = killed.appendingPathComponent("data/loam.sqlite-wal").path
        var waited = 0
        while loam.process.isRunning, waited < 600 {
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if size > 200_000 { break }
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        let stillRunning = loam.process.isRunning
        kill(loam.process.processIdentifier, SIGKILL)
        loam.process.waitUntilExit()
        let partial = try await totals(in: killed)
        #expect(stillRunning, "the import was killed while it ran")
        #expect(partial.interactions < Self.messages, "killed before the end")
        #expect(
            partial.interactions % ImportService.batchSize == 0 || partial.interactions == Self.messages,
            "only whole batches landed")

        let (again, _, _) = try await run(["import", "--user", "me@example.com", mailbox], in: killed)
        #expect(again == 0)
        let resumed = try await totals(in: killed)
        #expect(resumed == expected)
    }
}
