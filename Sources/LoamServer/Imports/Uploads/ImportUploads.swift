import Fluent
import Foundation
import LoamKit
import Vapor

/// The Imports page's side of imports: takes an upload into a sealed spool, queues its import as a job, and
/// reads back one user's runs. Every query is bound to the user; another user's run is `notFound`.
struct ImportUploads: Sendable {
    let app: Application
    let user: User
    let userID: UUID

    init(app: Application, user: User) throws {
        self.app = app
        self.user = user
        self.userID = try user.requireID()
    }

    var owner: OwnerID { .user(userID.uuidString.lowercased()) }

    /// Receives the form as it streams, checks it is a file Loam can import, and queues the import.
    func accept(_ request: Request) async throws -> ImportRun {
        let directory = app.loamConfiguration.importSpoolDirectory
        try PrivateFiles.makeFolder(directory)
        Self.removeAbandonedSpools(in: directory, now: app.clock.now())
        let runID = UUID()
        let key = SealedSpool.generateKey()
        let spoolPath = Self.spoolPath(runID, directory: directory)
        let receiver = ImportUploadReceiver(
            spoolPath: spoolPath, spoolKey: key,
            maximumBytes: Int64(app.loamConfiguration.importUploadMaxMegabytes) << 20,
            checkToken: { request.csrfTokenMatches($0) })
        let received = try await receiver.receive(request)
        do {
            let format = try Self.detect(
                spoolPath: spoolPath, key: key, size: received.bytes, name: received.fileName, asked: received.format)
            if let asked = received.format, asked != format {
                throw ImportError.cannotImport(
                    "\(received.fileName) looks like \(Self.label(format)), not \(Self.label(asked)). Choose “Detect from the file” or the right format."
                )
            }
            let cipher = try await app.keyring.fieldCipher(for: owner, on: app.db)
            let run = ImportRun(
                id: runID, ownerID: userID, format: format.rawValue, bytesTotal: received.bytes,
                sealedFileName: try cipher.seal(
                    received.fileName, context: ImportRun.context("sealed_file_name", runID: runID, owner: owner)),
                sealedSpoolKey: try cipher.seal(
                    Data(key), context: ImportRun.context("sealed_spool_key", runID: runID, owner: owner)))
            let jobs = app.jobs
            try await app.db.writeTransaction { tx in
                try await run.create(on: tx)
                try await jobs.enqueue(ImportUploadJob.self, .init(runID: runID), on: tx)
            }
            await jobs.wake()
            return run
        } catch {
            receiver.discard()
            throw error
        }
    }

    /// The user's runs, newest first.
    func runs(limit: Int = 20) async throws -> [ImportRun] {
        try await ImportRun.query(on: app.db).filter(\.$ownerID == userID).sort(\.$createdAt, .descending).limit(limit)
            .all()
    }

    func run(_ id: UUID?) async throws -> ImportRun {
        guard let id,
            let run = try await ImportRun.query(on: app.db).filter(\.$id == id).filter(\.$ownerID == userID).first()
        else {
            throw Abort(.notFound)
        }
        return run
    }

    /// A run's sealed parts, opened for its owner.
    func opened(_ run: ImportRun) async throws -> (fileName: String, summary: ImportSummary?) {
        let id = try run.requireID()
        let cipher = try await app.keyring.fieldCipher(for: owner, on: app.db)
        let name = try cipher.openString(
            run.sealedFileName, context: ImportRun.context("sealed_file_name", runID: id, owner: owner))
        let summary = try run.sealedSummary.map {
            try JSONDecoder().decode(
                ImportSummary.self,
                from: try cipher.open($0, context: ImportRun.context("sealed_summary", runID: id, owner: owner)))
        }
        return (name, summary)
    }

    static func spoolPath(_ runID: UUID, directory: String) -> String {
        (directory as NSString).appendingPathComponent(runID.uuidString.lowercased() + ".spool")
    }

    /// The format from the upload's first bytes, as `loam import` does; for a zip, the one export found inside.
    private static func detect(spoolPath: String, key: [UInt8], size: Int64, name: String, asked: ImportFormat?) throws
        -> ImportFormat
    {
        do {
            let spool = try SealedSpool.Reader(path: spoolPath, key: key, size: size)
            let format: ImportFormat
            if ZipArchive.looksLike(try spool.read(upToCount: 4)) {
                format = try ImportService.locate(zip: spool, name: name, asked: asked).format
            } else {
                try spool.rewind()
                format = try ImportService.detect(spool, name: name)
            }
            guard format != .imessage else {
                throw ImportError.cannotImport(
                    "An iMessage database is read where it lies, never uploaded: import it with `loam import` on the server."
                )
            }
            return format
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.cannotImport("\(name) could not be read: \(error)")
        }
    }

    static func label(_ format: ImportFormat) -> String {
        switch format {
        case .mbox: "an mbox mailbox"
        case .vcard: "vCard contacts"
        case .ics: "an iCalendar calendar"
        case .linkedin: "LinkedIn connections"
        case .googleCSV: "Google contacts (CSV)"
        case .outlookCSV: "Outlook contacts (CSV)"
        case .facebook: "Facebook friends"
        case .x: "an X archive"
        case .imessage: "an iMessage database"
        }
    }

    /// A spool whose upload never finished (the server stopped mid-upload) has no run and no job; after a week
    /// nothing will read it again.
    static func removeAbandonedSpools(in directory: String, now: Date) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasSuffix(".spool.partial") || name.hasSuffix(".spool") {
            let path = (directory as NSString).appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) > 86_400 * 7
            {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}

extension Request {
    func importUploads() throws -> ImportUploads {
        try ImportUploads(app: application, user: try requireAuthenticated().user)
    }
}
