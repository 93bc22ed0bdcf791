import Foundation
import LoamKit
import Testing
import VaporTesting

@testable import LoamServer

#if canImport(Glibc)
    import Glibc
#endif

/// The server's own share of private files, for an application built in-process (tests, an embedding program),
/// where `loam`'s umask 077 does not apply: it creates its folders and files 0700/0600 itself.
@Suite("Private files in-process")
struct PrivateFilesTests {
    @Test(
        "Attack: with umask 022, an in-process app's SQLite file, key file, outbox mails and upload spool are 0700/0600"
    )
    func inProcess() async throws {
        // 022 is the usual default, so setting it here changes nothing for tests running beside this one.
        let previous = umask(0o022)
        defer { umask(previous) }
        var dataDirectory = ""
        try await withLoamApp(adjust: {
            dataDirectory = $0.dataDirectory
            $0.database = .sqlite(path: ($0.dataDirectory as NSString).appendingPathComponent("loam.sqlite"))
            $0.masterKey = .keyFile(path: ($0.dataDirectory as NSString).appendingPathComponent("master.key"))
        }) { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.get("/imports")
            let card = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n".utf8)
            let uploaded = try await browser.upload("/imports", file: (name: "contacts.vcf", bytes: card))
            #expect(uploaded.status == .seeOther, "\(uploaded.body.string)")
            let spool = app.loamConfiguration.importSpoolDirectory
            let spools = try FileManager.default.contentsOfDirectory(atPath: spool)
            #expect(spools.count == 1)
            // A recovery mail goes to the outbox folder (the sign-up's own mail was read by the test helper).
            let recovery = try await APIClient(app: app).send(
                .POST, "/api/v1/account/recovery", body: ["email": "dana@example.org"])
            #expect(recovery.status == .accepted)
            try await app.jobs.drain()

            var seen: [String] = []
            var pending = [dataDirectory]
            while let path = pending.popLast() {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o7777
                let name = String(path.dropFirst(dataDirectory.count))
                seen.append(name)
                if attributes[.type] as? FileAttributeType == .typeDirectory {
                    #expect(mode == 0o700, "\(name)/ is \(String(mode, radix: 8))")
                    pending += try FileManager.default.contentsOfDirectory(atPath: path).map { path + "/" + $0 }
                } else {
                    #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
                }
            }
            #expect(
                seen.contains("/loam.sqlite") && seen.contains("/master.key") && seen.contains("/loam.sqlite-wal"),
                "\(seen)")
            #expect(seen.contains { $0.hasPrefix("/outbox/") && $0.hasSuffix(".eml") }, "\(seen)")
            #expect(seen.contains("/import-spool"))
        }
    }

    @Test("An outbox mail is written whole or not at all, 0600, and replaces an earlier try")
    func outboxWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-private-\(UUID().uuidString)/outbox"
        ).path
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        try PrivateFiles.makeFolder(folder)
        let path = folder + "/mail.eml"
        try PrivateFiles.writeFile(Array("first".utf8), to: path)
        try PrivateFiles.writeFile(Array("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["mail.eml"])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        // Parents it had to create are private too.
        let parent = (folder as NSString).deletingLastPathComponent
        #expect(try FileManager.default.attributesOfItem(atPath: parent)[.posixPermissions] as? Int == 0o700)
    }
}
