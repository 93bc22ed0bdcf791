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
        into summary: inout ImportSummary, progress: ImportService.Progress?, position: () -> (done: Int64, total: Int64),
        fill: (inout [Record], inout ImportSummary) throws -> Void, apply: ([Record]) async throws -> ImportBatchResult
    ) async throws {
        var created: Set<UUID> = [], updated: Set<UUID> = []
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
