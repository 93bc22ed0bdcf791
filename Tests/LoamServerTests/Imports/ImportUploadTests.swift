import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Imports page: upload, background job, progress and summary")
struct ImportUploadTests {
    static let marker = "MARKER-UPLOAD-SUBJECT-5c1e"

    /// Made once: its Message-IDs are random, and the same file must be the same bytes.
    static let mailboxBytes: [UInt8] = Array(
        ImportFixtures.mbox([
            .init(
                from: "Dana Oster <dana@example.com>", to: "owner@example.com", subject: "\(marker) plans",
                body: "BODY-\(marker)\n"),
            .init(
                from: "owner@example.com", to: "Mira Quell <mira@example.org>", cc: "dana@example.com",
                subject: "\(marker) follow-up"),
            .init(
                from: "news@shop.example", to: "owner@example.com", subject: "Sale",
                extra: ["List-Unsubscribe: <mailto:u@shop.example>"]),
        ]).utf8)

    func spoolFiles(_ app: Application) -> [String] {
        let directory = app.loamConfiguration.importSpoolDirectory
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map {
            (directory as NSString).appendingPathComponent($0)
        }
    }

    @Test(
        "Upload a mailbox: queued, then imported by the job; the page shows the summary; the spool was sealed and is gone"
    )
    func uploadAndImport() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            let page = try await browser.get("/imports")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"enctype="multipart/form-data""#))

            let posted = try await browser.upload(
                "/imports", fields: [("format", "")],
                file: ("All mail Including Spam and Trash.mbox", Self.mailboxBytes))
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            let runPath = posted.headers.first(name: .location) ?? ""
            #expect(runPath.hasPrefix("/imports/"))

            // Waiting for the worker: the upload is on disk only sealed, and the page refreshes itself.
            let spools = spoolFiles(app)
            #expect(spools.count == 1)
            for path in spools {
                let disk = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect(disk.range(of: Data(Self.marker.utf8)) == nil, "the spool holds the subject in clear")
                #expect(disk.range(of: Data("dana@example.com".utf8)) == nil)
            }
            let waiting = try await browser.get(runPath)
            #expect(waiting.body.string.contains("Waiting to start"))
            #expect(waiting.headers.first(name: "Refresh") == "2")
            #expect(try await Person.query(on: app.db).count() == 0)

            #expect(try await app.jobs.drain(kinds: [ImportUploadJob.kind]) == 1)
            let done = try await browser.get(runPath)
            let html = done.body.string
            #expect(done.headers.first(name: "Refresh") == nil, "a finished import stops refreshing")
            #expect(html.contains("Done"))
            #expect(html.contains("All mail Including Spam and Trash.mbox"))
            #expect(html.contains(#"<dd id="people-created">2</dd>"#), "\(html)")
            #expect(html.contains(#"<dd id="interactions">3</dd>"#))
            #expect(html.contains(#"<dd id="ignored">1</dd>"#))
            #expect(!html.contains(Self.marker), "subjects are not shown in the summary")
            #expect(spoolFiles(app).isEmpty, "the spool is deleted when the import ends")
            #expect(try await Person.query(on: app.db).count() == 2)

            // The run keeps nothing in clear: not the file's name, not its key.
            let run = try #require(try await ImportRun.query(on: app.db).first())
            #expect(run.state == .done)
            #expect(run.sealedSpoolKey == nil)
            #expect(run.sealedFileName.range(of: Data("All mail".utf8)) == nil)
            #expect((try await browser.get("/imports")).body.string.contains("All mail Including Spam and Trash.mbox"))

            // The same file again adds nothing.
            try await browser.get("/imports")
            let again = try await browser.upload("/imports", file: ("All mail.mbox", Self.mailboxBytes))
            #expect(try await app.jobs.drain(kinds: [ImportUploadJob.kind]) == 1)
            let second = try await browser.get(again.headers.first(name: .location) ?? "")
            #expect(second.body.string.contains(#"<dd id="people-created">0</dd>"#))
            #expect(second.body.string.contains(#"<dd id="interactions">0</dd>"#))
            #expect(try await Person.query(on: app.db).count() == 2)
        }
    }

    @Test("A form without the page's token, a forged one, or a file sent before the token stores nothing")
    func csrf() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/imports")
            #expect(
                try await browser.upload("/imports", file: ("a.mbox", Self.mailboxBytes), token: .missing).status
                    == .forbidden)
            #expect(
                try await browser.upload(
                    "/imports", file: ("a.mbox", Self.mailboxBytes), token: .forged("x" + (browser.formToken ?? ""))
                ).status == .forbidden)
            #expect(
                try await browser.upload("/imports", file: ("a.mbox", Self.mailboxBytes), tokenAfterFile: true).status
                    == .forbidden)
            #expect(try await ImportRun.query(on: app.db).count() == 0)
            #expect(try await JobRecord.query(on: app.db).filter(\.$kind == ImportUploadJob.kind).count() == 0)
            #expect(spoolFiles(app).isEmpty)
        }
    }

    @Test("A file Loam cannot import, the wrong format, no file or too large a file: a clear error, nothing stored")
    func refusals() async throws {
        try await withLoamApp(adjust: { $0.importUploadMaxMegabytes = 1 }) { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/imports")
            let notImport = try await browser.upload(
                "/imports", file: ("photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0, count: 500)))
            #expect(notImport.status == .unprocessableEntity)
            #expect(notImport.body.string.contains("photo.jpg is not a file Loam can import"))
            let wrongFormat = try await browser.upload(
                "/imports", fields: [("format", "vcard")], file: ("mail.mbox", Self.mailboxBytes))
            #expect(wrongFormat.status == .unprocessableEntity)
            #expect(wrongFormat.body.string.contains("looks like an mbox mailbox, not vCard contacts"))
            let noFile = try await browser.upload("/imports", fields: [("format", "")], file: nil)
            #expect(noFile.status == .unprocessableEntity)
            #expect(noFile.body.string.contains("Choose a file"))
            let big = try await browser.upload(
                "/imports", file: ("big.mbox", Self.mailboxBytes + Array(repeating: 0x61, count: 1_200_000)))
            #expect(big.status == .payloadTooLarge)
            #expect(big.body.string.contains("larger than this server accepts (1 MB)"))
            #expect(try await ImportRun.query(on: app.db).count() == 0)
            #expect(spoolFiles(app).isEmpty)
        }
    }

    @Test("Another user's import is not found, and the pages need a session")
    func isolation() async throws {
        try await withLoamApp { app in
            let owner = PageBrowser(app)
            try await owner.signUp("owner@example.com")
            try await owner.get("/imports")
            let posted = try await owner.upload("/imports", file: ("mail.mbox", Self.mailboxBytes))
            let runPath = posted.headers.first(name: .location) ?? ""
            #expect(try await app.jobs.drain(kinds: [ImportUploadJob.kind]) == 1)

            let other = PageBrowser(app)
            try await other.signUp("other@example.com", name: "Other")
            #expect(try await other.get(runPath).status == .notFound)
            #expect(!(try await other.get("/imports")).body.string.contains("mail.mbox"))
            let anonymous = PageBrowser(app)
            #expect(try await anonymous.get(runPath).status == .seeOther)
            #expect(
                try await anonymous.upload("/imports", file: ("mail.mbox", Self.mailboxBytes), token: .missing).status
                    == .seeOther)
            #expect(try await ImportRun.query(on: app.db).count() == 1)
        }
    }

    @Test(
        "A worker that dies mid-import: the job runs again from the sealed spool and ends with the totals of one clean run"
    )
    func retryAfterFailure() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/imports")
            var messages: [ImportFixtures.Message] = []
            for index in 0..<600 {
                messages.append(
                    .init(
                        from: "Person \(index) <p\(index)@example.com>", to: "owner@example.com", subject: "s\(index)"))
            }
            let posted = try await browser.upload(
                "/imports", file: ("big.mbox", Array(ImportFixtures.mbox(messages).utf8)))
            let runPath = posted.headers.first(name: .location) ?? ""
            let runID = try #require(UUID(uuidString: String(runPath.dropFirst("/imports/".count))))
            // A first attempt that got through some batches and died: run the import directly, without the job.
            let run = try #require(try await ImportRun.find(runID, on: app.db))
            let user = try #require(try await User.query(on: app.db).first())
            let uploads = try ImportUploads(app: app, user: user)
            let cipher = try await app.keyring.fieldCipher(for: uploads.owner, on: app.db)
            let key = [UInt8](
                try cipher.open(
                    try #require(run.sealedSpoolKey),
                    context: ImportRun.context("sealed_spool_key", runID: runID, owner: uploads.owner)))
            let spool = try SealedSpool.Reader(
                path: ImportUploads.spoolPath(runID, directory: app.loamConfiguration.importSpoolDirectory), key: key,
                size: run.bytesTotal)
            // Half the bytes are enough for the first batches to land.
            let half = try ByteArraySource(Array(spool.read(upToCount: Int(run.bytesTotal / 2))))
            _ = try? await app.imports(for: user).importSource(half, name: "big.mbox", format: .mbox)
            let partial = try await Person.query(on: app.db).count()
            #expect(partial > 0 && partial < 600)

            #expect(try await app.jobs.drain(kinds: [ImportUploadJob.kind]) == 1)
            let page = try await browser.get(runPath)
            #expect(page.body.string.contains("Done"))
            #expect(try await Person.query(on: app.db).count() == 600)
            #expect(try await Interaction.query(on: app.db).count() == 600)
        }
    }
}
