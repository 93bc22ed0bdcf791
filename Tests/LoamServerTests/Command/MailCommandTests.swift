import Foundation
import Testing

/// `loam mail test` delivers before it exits, with no server running.
@Suite("loam mail test", .serialized)
struct MailCommandTests {
    static let environment = ProcessInfo.processInfo.environment

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loam-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func run(_ arguments: [String], environment: [String: String], in folder: URL) async throws -> (
        Int32, String
    ) {
        let loam = LoamProcess(arguments, environment: environment, workingDirectory: folder)
        try loam.start()
        let (status, _) = try await loam.finish()
        return (status, String(decoding: loam.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test("With no SMTP_URL the mail is written to data/outbox/ and the command names the file")
    func toFile() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, output) = try await run(["mail", "test", "dana@example.org"], environment: [:], in: dir)
        #expect(status == 0)
        #expect(output.contains("data/outbox/"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("data/outbox").path)
        #expect(files.count == 1)
        let text = try String(
            contentsOfFile: dir.appendingPathComponent("data/outbox/\(files[0])").path, encoding: .utf8)
        #expect(text.contains("To: <dana@example.org>"))
        #expect(text.contains("Subject: Loam test mail"))
    }

    @Test(
        "With SMTP_URL the mail reaches the relay before the command exits",
        .enabled(if: environment["LOAM_TEST_SMTP_AUTH_URL"] != nil))
    func toRelay() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = UUID().uuidString.lowercased()
        let (status, output) = try await run(
            ["mail", "test", "check-\(token)@example.org"],
            environment: [
                "SMTP_URL": Self.environment["LOAM_TEST_SMTP_AUTH_URL"] ?? "",
                "SMTP_CA_FILE": Self.environment["LOAM_TEST_SMTP_CA_FILE"] ?? "",
                "LOAM_MAIL_FROM": "Loam Test <loam@example.com>",
            ],
            in: dir)
        #expect(status == 0)
        #expect(output.contains("Delivered to the SMTP relay"))
        // Already there when the command has exited: no waiting.
        let received = try FileManager.default.contentsOfDirectory(
            atPath: (Self.environment["LOAM_TEST_SMTP_AUTH_MAILDIR"] ?? "") + "/new")
        let matching = try received.filter { name in
            try String(
                contentsOfFile: (Self.environment["LOAM_TEST_SMTP_AUTH_MAILDIR"] ?? "") + "/new/" + name,
                encoding: .utf8
            )
            .contains("check-\(token)@example.org")
        }
        #expect(matching.count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/outbox").path))
    }

    @Test("When the relay cannot be reached the command says so and fails; the mail stays queued for the worker")
    func unreachable() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, output) = try await run(
            ["mail", "test", "dana@example.org"], environment: ["SMTP_URL": "smtp://127.0.0.1:1"], in: dir)
        #expect(status != 0)
        #expect(output.contains("Not delivered yet"))
    }
}
