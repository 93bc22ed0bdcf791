import Foundation
import Testing

/// `loam user …` as an operator runs it, with no terminal: the password comes on standard input.
@Suite("loam user", .serialized)
struct UserCommandTests {
    private func run(_ arguments: [String], input: String = "", in folder: URL) async throws -> (Int32, String, String)
    {
        let loam = LoamProcess(arguments, environment: [:], workingDirectory: folder)
        try loam.start()
        loam.send(input)
        let (status, errors) = try await loam.finish()
        return (status, String(decoding: loam.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), errors)
    }

    @Test("create prints the new id; restrict mails the user before exiting; bad input fails with a clear line")
    func createAndRestrict() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let (created, id, _) = try await run(
            ["user", "create", "Ops@Example.org", "--name", "Ops Person", "--admin"], input: "long-enough-secret-1\n",
            in: folder)
        #expect(created == 0)
        #expect(UUID(uuidString: id.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)

        let (again, _, duplicate) = try await run(
            ["user", "create", "ops@example.org"], input: "another-secret-22\n", in: folder)
        #expect(again != 0)
        #expect(duplicate.contains("already exists"))

        let (weak, _, weakMessage) = try await run(
            ["user", "create", "new@example.org"], input: "password\n", in: folder)
        #expect(weak != 0)
        #expect(weakMessage.contains("commonly used"))

        let (restricted, _, _) = try await run(
            ["user", "restrict", "ops@example.org", "--reason", "abuse"], in: folder)
        #expect(restricted == 0)
        let outbox = folder.appendingPathComponent("data/outbox").path
        let mails = try FileManager.default.contentsOfDirectory(atPath: outbox).map {
            try String(contentsOfFile: outbox + "/" + $0, encoding: .utf8)
        }
        // The operator vouched for the address: no verification mail, only the restriction notice.
        #expect(mails.count == 1)
        #expect(mails.first?.contains("restricted because of a report of abuse") == true)

        let (badReason, _, reasonMessage) = try await run(
            ["user", "restrict", "ops@example.org", "--reason", "because"], in: folder)
        #expect(badReason != 0)
        #expect(reasonMessage.contains("suspected-spam"))
        let (unknown, _, _) = try await run(["user", "unrestrict", "nobody@example.org"], in: folder)
        #expect(unknown != 0)
        let (lifted, _, _) = try await run(["user", "unrestrict", "ops@example.org"], in: folder)
        #expect(lifted == 0)
    }
}
