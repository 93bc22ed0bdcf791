import Fluent
import Foundation
import Testing
import Vapor

@testable import LoamServer

/// Small mailboxes and address books written by the tests themselves.
enum ImportFixtures {
    struct Message {
        var from: String
        var to: String
        var cc: String? = nil
        var subject: String
        var date = "Tue, 03 Mar 2026 10:15:00 +0100"
        var messageID: String? = "<\(UUID().uuidString)@mail.example>"
        var extra: [String] = []
        var body = "Hello.\n"
    }

    static func mbox(_ messages: [Message]) -> String {
        messages.map { message in
            var lines = [
                "From sender@example.com Tue Mar  3 10:15:00 2026", "From: \(message.from)", "To: \(message.to)",
            ]
            if let cc = message.cc { lines.append("Cc: \(cc)") }
            lines += ["Subject: \(message.subject)", "Date: \(message.date)"]
            if let id = message.messageID { lines.append("Message-ID: \(id)") }
            lines += message.extra
            return (lines + ["", message.body]).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }

    /// The importing user every import test uses: me@example.com, signed up as a newcomer does.
    static func owner(_ app: Application) async throws -> User {
        try await APIClient(app: app).signUp("me@example.com", name: "Me Myself")
        return try #require(try await User.query(on: app.db).filter(\.$email == "me@example.com").first())
    }

    static func write(_ text: String, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The data of the test's PostgreSQL schema as `pg_dump` prints it (LOAM_TEST_PG_DUMP, from scripts/postgres.sh).
    static func postgresDump(_ app: Application) throws -> String {
        guard case .postgres(let url, let schema?) = app.loamConfiguration.database else {
            Issue.record("not a PostgreSQL schema")
            return ""
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["LOAM_TEST_PG_DUMP"] ?? "")
        dump.arguments = ["--dbname", url, "--schema", schema, "--data-only"]
        let output = Pipe()
        dump.standardOutput = output
        try dump.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        #expect(dump.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
