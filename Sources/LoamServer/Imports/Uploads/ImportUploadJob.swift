import Fluent
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Vapor

/// Runs one uploaded file's import in the background and keeps its progress on the run, for the page.
///
/// The import writes in batches of its own (as `loam import` does), so a worker that dies mid-file leaves
/// whole batches behind; the job runs again once its lease lapses, reads the sealed spool from the start,
/// and adds nothing twice. The spool and its key go when the run ends, done or failed.
struct ImportUploadJob: JobHandler {
    struct Payload: Codable, Sendable {
        var runID: UUID
    }

    static let kind = "import.upload"
    static let maxAttempts = 3

    let app: @Sendable () -> Application

    func run(_ payload: Payload, context: JobContext) async throws {
        let app = app()
        let db = context.database
        guard let run = try await ImportRun.find(payload.runID, on: db) else {
            throw JobError.permanent("import run missing")
        }
        guard run.state == .queued || run.state == .running else { return }
        guard let user = try await User.find(run.ownerID, on: db) else {
            throw JobError.permanent("import owner missing")
        }
        let uploads = try ImportUploads(app: app, user: user)
        let owner = uploads.owner
        let cipher = try await app.keyring.fieldCipher(for: owner, on: db)
        let spoolPath = ImportUploads.spoolPath(payload.runID, directory: app.loamConfiguration.importSpoolDirectory)
        let fileName = try cipher.openString(
            run.sealedFileName, context: ImportRun.context("sealed_file_name", runID: payload.runID, owner: owner))
        guard let sealedKey = run.sealedSpoolKey else { throw JobError.permanent("import spool key missing") }
        let key = [UInt8](
            try cipher.open(
                sealedKey, context: ImportRun.context("sealed_spool_key", runID: payload.runID, owner: owner)))

        try await ImportRun.query(on: db).filter(\.$id == payload.runID).set(\.$state, to: .running).set(
            \.$bytesDone, to: 0
        ).update()
        let done = NIOLockedValueBox<Int64>(0)
        // Progress reaches the database once a second, not once a batch: the page refreshes every two.
        let reporter = Task {
            var last: Int64 = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let now = done.withLockedValue { $0 }
                if now != last {
                    last = now
                    try? await ImportRun.query(on: db).filter(\.$id == payload.runID).set(\.$bytesDone, to: now)
                        .update()
                }
            }
        }
        defer { reporter.cancel() }

        let outcome: Result<ImportSummary, ImportError>
        do {
            let source = try SealedSpool.Reader(path: spoolPath, key: key, size: run.bytesTotal)
            let format = run.format.flatMap(ImportFormat.init(rawValue:))
            let summary = try await app.imports(for: user).importSource(
                source, name: fileName, format: format, progress: { bytes, _ in done.withLockedValue { $0 = bytes } })
            outcome = .success(summary)
        } catch let error as ImportError {
            outcome = .failure(error)
        } catch let error as ImportFileError {
            outcome = .failure(ImportError.cannotImport(error.description))
        } catch {
            // The database or the disk: worth another attempt while there are attempts left.
            guard context.isLastAttempt else { throw error }
            outcome = .failure(.serverError)
        }
        reporter.cancel()

        let finishedAt = app.clock.now()
        let sealedSummary: Data?
        let failure: String?
        switch outcome {
        case .success(let summary):
            sealedSummary = try cipher.seal(
                try JSONEncoder().encode(summary),
                context: ImportRun.context("sealed_summary", runID: payload.runID, owner: owner))
            failure = nil
        case .failure(let error):
            sealedSummary = nil
            // Loam's own words, without the file's name (which is sealed).
            failure = error.description.replacingOccurrences(of: fileName, with: "The file")
        }
        try await context.finish { tx in
            try await ImportRun.query(on: tx).filter(\.$id == payload.runID)
                .set(\.$state, to: failure == nil ? .done : .failed)
                .set(\.$bytesDone, to: run.bytesTotal)
                .set(\.$sealedSummary, to: sealedSummary)
                .set(\.$sealedSpoolKey, to: nil)
                .set(\.$failure, to: failure)
                .set(\.$finishedAt, to: finishedAt)
                .update()
        }
        try? FileManager.default.removeItem(atPath: spoolPath)
    }
}
