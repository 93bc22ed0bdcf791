import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `loam serve` as a newcomer runs it: no configuration, a fresh folder.
@Suite("loam serve", .serialized)
struct ServeCommandTests {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loam-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("With no configuration it creates data/loam.sqlite, migrates, prints its URL and answers")
    func servesWithNoConfiguration() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loam = LoamProcess(["serve", "--port", "0"], environment: [:], workingDirectory: folder)
        try loam.start()
        defer { if loam.process.isRunning { loam.process.terminate() } }

        let line = try await loam.waitForLine(containing: "Loam is listening on http://127.0.0.1:")
        let url = try #require(line.flatMap { $0.split(separator: " ").last.map(String.init) })

        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/loam.sqlite").path))
        // No LOAM_MASTER_KEY: a key file readable by its owner only.
        let keyFile = folder.appendingPathComponent("data/master.key").path
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        let health = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + "/healthz"), timeout: .seconds(10))
        #expect(health.status == .ok)
        let ready = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(10))
        #expect(ready.status == .ok)
        let readyBody = String(buffer: try await ready.body.collect(upTo: 1 << 20))
        #expect(readyBody.contains(#""name":"database""#))
        #expect(readyBody.hasPrefix(#"{"components":[{"#))
        let home = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/"), timeout: .seconds(10))
        #expect(home.status == .ok)
        #expect(home.headers.first(name: "Content-Security-Policy") != nil)

        // Links in mails name the port the server got, not the 0 it was asked for.
        var signUp = HTTPClientRequest(url: url + "/api/v1/accounts")
        signUp.method = .POST
        signUp.headers.add(name: "Content-Type", value: "application/json")
        signUp.body = .bytes(ByteBuffer(string: #"{"email":"port@example.com","name":"Port"}"#))
        #expect(try await HTTPClient.shared.execute(signUp, timeout: .seconds(30)).status == .accepted)
        let outbox = folder.appendingPathComponent("data/outbox").path
        var mail = ""
        for _ in 0..<100 where mail.isEmpty {
            if let name = (try? FileManager.default.contentsOfDirectory(atPath: outbox))?.first(where: {
                $0.hasSuffix(".eml")
            }) {
                mail = (try? String(contentsOfFile: outbox + "/" + name, encoding: .utf8)) ?? ""
            }
            if mail.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(mail.contains(url + "/verify-email/"), "the link names \(url)")

        // SIGTERM stops it cleanly.
        loam.process.terminate()
        let (status, _) = try await loam.finish()
        #expect(status == 0)
    }

    @Test(
        "DATABASE_URL=postgres://… serves from PostgreSQL with the same migrations",
        .enabled(if: ProcessInfo.processInfo.environment["LOAM_TEST_SERVE_DATABASE_URL"] != nil))
    func servesFromPostgres() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let databaseURL = ProcessInfo.processInfo.environment["LOAM_TEST_SERVE_DATABASE_URL"] ?? ""
        let loam = LoamProcess(
            ["serve", "--port", "0"], environment: ["DATABASE_URL": databaseURL], workingDirectory: folder)
        try loam.start()
        defer { if loam.process.isRunning { loam.process.terminate() } }
        let line = try await loam.waitForLine(containing: "Loam is listening on http://127.0.0.1:")
        let url = try #require(line.flatMap { $0.split(separator: " ").last.map(String.init) })
        let ready = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(10))
        #expect(ready.status == .ok)
        // No SQLite file: the data lives in PostgreSQL.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/loam.sqlite").path))
        loam.process.terminate()
        #expect(try await loam.finish().status == 0)
    }

    @Test("LOAM_DATA_DIR puts the database elsewhere")
    func dataDirectory() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appendingPathComponent("state/loam-data")
        let loam = LoamProcess(
            ["serve", "--port", "0"], environment: ["LOAM_DATA_DIR": elsewhere.path], workingDirectory: folder)
        try loam.start()
        defer { if loam.process.isRunning { loam.process.terminate() } }
        #expect(try await loam.waitForLine(containing: "Loam is listening on") != nil)
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("loam.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
        loam.process.terminate()
        _ = try await loam.finish()
    }

    @Test(
        "A bad value stops start-up with one line naming the variable",
        arguments: [
            ("DATABASE_URL", "mysql://root:hunter2@localhost/loam"),
            ("LOAM_BASE_URL", "not-a-url"),
            ("LOAM_LOG_LEVEL", "loud"),
            ("LOAM_MASTER_KEY", "aHVudGVyMg=="),
            ("LOAM_PASSWORD_ITERATIONS", "1000"),
        ])
    func badConfiguration(variable: String, value: String) async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loam = LoamProcess(["serve", "--port", "0"], environment: [variable: value], workingDirectory: folder)
        try loam.start()
        let (status, stderr) = try await loam.finish()
        #expect(status == 78)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\(variable): expected") == true)
        #expect(!stderr.contains("hunter2") && !stderr.contains("aHVudGVyMg"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
    }
}

@Suite("loam keys")
struct KeysCommandTests {
    @Test("keys generate prints a fresh 32-byte base64 key each time")
    func generate() async throws {
        var keys: [String] = []
        for _ in 0..<2 {
            let loam = LoamProcess(
                ["keys", "generate"], environment: [:], workingDirectory: FileManager.default.temporaryDirectory)
            try loam.start()
            let (status, _) = try await loam.finish()
            #expect(status == 0)
            let output = String(decoding: loam.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let key = output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Data(base64Encoded: key)?.count == 32)
            keys.append(key)
        }
        #expect(keys[0] != keys[1])
    }
}
