import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Attack: another account on the same machine reads Loam's files (the database, the master key, the outbox's
/// mails with live reset and invitation links, sealed uploads). Everything Loam creates is 0700 or 0600,
/// even when it is started with a umask that leaves files world-readable.
@Suite("File permissions", .serialized)
struct FilePermissionsTests {
    /// Runs `loam ARGUMENTS` as started from a shell whose umask is 022, the common default.
    private func loam(_ arguments: [String], in folder: URL) -> LoamProcess {
        let process = LoamProcess(arguments, environment: [:], workingDirectory: folder)
        process.process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.process.arguments = ["-c", #"umask 022; exec "$0" "$@""#, LoamProcess.executable.path] + arguments
        return process
    }

    @discardableResult
    private func run(_ arguments: [String], input: String = "", in folder: URL) async throws -> Int32 {
        let process = loam(arguments, in: folder)
        try process.start()
        process.send(input)
        let (status, errors) = try await process.finish()
        #expect(status == 0, "loam \(arguments.joined(separator: " ")): \(errors)")
        return status
    }

    /// Every path under `folder` (itself included) with a mode other than 0700 for folders and 0600 for files,
    /// and the names of all files seen.
    private func wrongModes(under folder: URL) throws -> (wrong: [String], files: [String]) {
        var wrong: [String] = []
        var files: [String] = []
        var pending = [folder.path]
        while let path = pending.popLast() {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o7777
            let relative = String(path.dropFirst(folder.deletingLastPathComponent().path.count + 1))
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                if mode != 0o700 { wrong.append("\(relative)/ \(String(mode, radix: 8))") }
                pending += try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 }
            } else {
                files.append(relative)
                if mode != 0o600 { wrong.append("\(relative) \(String(mode, radix: 8))") }
            }
        }
        return (wrong, files.sorted())
    }

    @Test(
        "Attack: with umask 022, the data folder, database with its -wal/-shm, key file, outbox mails and uploads are 0700/0600"
    )
    func everythingPrivate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n"
        try card.write(to: folder.appendingPathComponent("contacts.vcf"), atomically: true, encoding: .utf8)

        // An operator creates an account and imports a file from the command line.
        try await run(["user", "create", "ops@example.org", "--name", "Ops"], input: "hayloft-otter-42\n", in: folder)
        try await run(["import", "--user", "ops@example.org", "contacts.vcf"], in: folder)

        let server = loam(["serve", "--port", "0"], in: folder)
        try server.start()
        defer { if server.process.isRunning { server.process.terminate() } }
        let line = try await server.waitForLine(containing: "Loam is listening on http://127.0.0.1:")
        let url = try #require(line.flatMap { $0.split(separator: " ").last.map(String.init) })

        // A sign-up mails a verification link into the outbox.
        let browser = CookieBrowser(base: url)
        defer { Task { try? await browser.shutdown() } }
        let signUp = try await browser.send(
            .POST, "/api/v1/accounts", contentType: "application/json",
            body: ByteBuffer(string: #"{"email":"new@example.com","name":"New"}"#))
        #expect(signUp.status == .accepted)

        // The operator signs in on the web and uploads a file on the Imports page.
        let signInPage = try await browser.send(.GET, "/sign-in")
        let signInToken = try #require(Self.formToken(in: signInPage.body))
        let signedIn = try await browser.send(
            .POST, "/sign-in", contentType: "application/x-www-form-urlencoded",
            body: ByteBuffer(string: "email=ops%40example.org&password=hayloft-otter-42&csrf_token=\(signInToken)"))
        #expect(signedIn.status == .seeOther)
        let importsPage = try await browser.send(.GET, "/imports")
        let importToken = try #require(Self.formToken(in: importsPage.body))
        let boundary = "----LoamModes"
        let form =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(importToken)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"more.vcf\"\r\n"
            + "Content-Type: text/vcard\r\n\r\n\(card.replacingOccurrences(of: "Ana Lima", with: "Bo Chen"))\r\n--\(boundary)--\r\n"
        let uploaded = try await browser.send(
            .POST, "/imports", contentType: "multipart/form-data; boundary=\(boundary)", body: ByteBuffer(string: form))
        #expect(uploaded.status == .seeOther, "\(uploaded.body)")
        let runPath = uploaded.location ?? "/imports"

        // Wait for the worker: the import done and the mail written.
        let outbox = data.appendingPathComponent("outbox").path
        var finished = false
        var mailed = false
        for _ in 0..<200 where !(finished && mailed) {
            finished = try await browser.send(.GET, runPath).body.contains("Done")
            mailed = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).contains {
                $0.hasSuffix(".eml")
            }
            if !(finished && mailed) { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(finished && mailed)

        let running = try wrongModes(under: data)
        #expect(running.wrong.isEmpty, "while serving: \(running.wrong)")
        for expected in ["data/loam.sqlite", "data/loam.sqlite-wal", "data/loam.sqlite-shm", "data/master.key"] {
            #expect(running.files.contains(expected), "\(expected) among \(running.files)")
        }
        #expect(running.files.contains { $0.hasPrefix("data/outbox/") && $0.hasSuffix(".eml") })
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("import-spool").path))

        server.process.terminate()
        #expect(try await server.finish().status == 0)
        let stopped = try wrongModes(under: data)
        #expect(stopped.wrong.isEmpty, "after stopping: \(stopped.wrong)")
    }

    @Test("A data folder left by an earlier version with open modes is narrowed when Loam next starts")
    func narrowsAnExistingDataFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        try await run(["user", "create", "ops@example.org"], input: "hayloft-otter-42\n", in: folder)
        try await run(["user", "restrict", "ops@example.org", "--reason", "abuse"], in: folder)
        // What an earlier Loam left behind.
        let outbox = data.appendingPathComponent("outbox")
        for path in [data.path, outbox.path] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: data.appendingPathComponent("loam.sqlite").path)
        for mail in try FileManager.default.contentsOfDirectory(atPath: outbox.path) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: outbox.path + "/" + mail)
        }
        #expect(try !wrongModes(under: data).wrong.isEmpty)

        try await run(["user", "unrestrict", "ops@example.org"], in: folder)
        let after = try wrongModes(under: data)
        // The folder, the database and the outbox are narrowed; mails already written stay as they were, inside
        // a folder no one else can open.
        #expect(after.wrong.allSatisfy { $0.hasPrefix("data/outbox/") && $0.contains(".eml ") }, "\(after.wrong)")
    }

    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf_token" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="csrf_token" value=""#.count).dropLast())
    }
}

/// Just enough of a browser over a real socket: keeps cookies, never follows redirects.
final class CookieBrowser: @unchecked Sendable {
    let base: String
    var cookies: [String: String] = [:]
    private let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    init(base: String) { self.base = base }

    func shutdown() async throws { try await client.shutdown() }

    struct Answer {
        var status: HTTPResponseStatus
        var body: String
        var location: String?
    }

    func send(_ method: HTTPMethod, _ path: String, contentType: String? = nil, body: ByteBuffer? = nil) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if !cookies.isEmpty {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let body { request.body = .bytes(body) }
        let response = try await client.execute(request, timeout: .seconds(30))
        for line in response.headers["Set-Cookie"] {
            let pair = line.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            cookies[name] = value.isEmpty ? nil : value
        }
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        return Answer(status: response.status, body: text, location: response.headers.first(name: "Location"))
    }
}
