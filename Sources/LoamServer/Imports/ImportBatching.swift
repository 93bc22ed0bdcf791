import Fluent
import Foundation
import LoamKit

/// What one batch of an import added, for the summary.
struct ImportBatchResult: Sendable {
    var created: Set<UUID> = []
    var updated: Set<UUID> = []
    var identities = 0
    var interactions = 0
    var skipped: [ImportSummary.Skipped] = []

    /// Counts one person the batch wrote.
    mutating func count(_ upsert: PeopleBatchWriter.Upsert) {
        if upsert.created { created.insert(upsert.personID) } else if upsert.updated { updated.insert(upsert.personID) }
        identities += upsert.newIdentities
    }
}

/// The loop every import shares: fill a batch from the reader, apply it in one transaction (it lands whole
/// or not at all, which is what makes an interrupted import resumable), add it to the summary, report progress.
enum ImportBatching {
    static func run<Record: Sendable>(
        into summary: inout ImportSummary, progress: ImportService.Progress?,
        position: () -> (done: Int64, total: Int64),
        fill: (inout [Record], inout ImportSummary) throws -> Void, apply: ([Record]) async throws -> ImportBatchResult
    ) async throws {
        var created: Set<UUID> = []
        var updated: Set<UUID> = []
        while true {
            var batch: [Record] = []
            try fill(&batch, &summary)
            if batch.isEmpty { break }
            let result = try await apply(batch)
            created.formUnion(result.created)
            updated.formUnion(result.updated)
            summary.identities += result.identities
            summary.interactions += result.interactions
            summary.skipped += result.skipped
            let (done, total) = position()
            progress?(done, total)
        }
        summary.peopleCreated = created.count
        summary.peopleUpdated = updated.subtracting(created).count
        let total = position().total
        progress?(total, total)
    }
}

/// A batch read and made ready ahead of the database: its records, what the reader skipped or ignored on the way,
/// and how far into the file it ends (for progress).
struct PreparedBatch<Record: Sendable>: Sendable {
    var records: [Record] = []
    var ignored = 0
    var skipped: [ImportSummary.Skipped] = []
    /// Messages dated from their envelope or a Received header (`MailDateFallback`).
    var datedFromEnvelope = 0
    var datedFromReceived = 0
    var bytesRead: Int64 = 0
}

extension ImportBatching {
    /// `run`, with the next batch read and prepared (parsed, sealed, hashed: whatever `next` does) on another
    /// thread while the current one is written: an import then keeps both cores busy instead of taking turns
    /// between its own work and SQLite's. Batches still land one after another, each in its own transaction, in
    /// file order, so what is resumable and what the summary says are unchanged.
    ///
    /// `next` runs on one task at a time and never alongside another call of itself; it is the only user of
    /// whatever reader it holds.
    static func runPipelined<Record: Sendable>(
        into summary: inout ImportSummary, progress: ImportService.Progress?, totalBytes: Int64,
        next: @escaping @Sendable () throws -> PreparedBatch<Record>,
        apply: ([Record]) async throws -> ImportBatchResult
    ) async throws {
        var created: Set<UUID> = []
        var updated: Set<UUID> = []
        var upcoming = Task.detached { try next() }
        while true {
            let batch = try await upcoming.value
            summary.ignored += batch.ignored
            summary.skipped += batch.skipped
            summary.datedFromEnvelope += batch.datedFromEnvelope
            summary.datedFromReceived += batch.datedFromReceived
            if batch.records.isEmpty { break }
            upcoming = Task.detached { try next() }
            let result: ImportBatchResult
            do {
                result = try await apply(batch.records)
            } catch {
                // The reader must be left alone before the caller closes it.
                _ = try? await upcoming.value
                throw error
            }
            created.formUnion(result.created)
            updated.formUnion(result.updated)
            summary.identities += result.identities
            summary.interactions += result.interactions
            summary.skipped += result.skipped
            progress?(batch.bytesRead, totalBytes)
        }
        summary.peopleCreated = created.count
        summary.peopleUpdated = updated.subtracting(created).count
        progress?(totalBytes, totalBytes)
    }
}
