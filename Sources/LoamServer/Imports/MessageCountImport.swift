import Fluent
import Foundation
import LoamKit

/// iMessage's `chat.db`, read for counts only (`IMessageDatabaseReader` never selects a message's text):
/// everyone the user texted becomes a person found by number or address, and each day a `message`
/// interaction with how many messages went each way. Keyed by handle and day, so a re-import adds nothing.
struct MessageCountImport {
    let scope: PeopleScope
    let source: String

    func run(path: String, into summary: inout ImportSummary, progress: ImportService.Progress?) async throws {
        let counts: IMessageCounts
        do {
            counts = try await IMessageDatabaseReader(path: path).read()
        } catch {
            throw error.importError
        }
        let region = scope.phoneRegion
        var days = counts.days[...]
        let total = Int64(counts.days.count)
        try await ImportBatching.run(
            into: &summary, progress: progress, position: { (total - Int64(days.count), total) },
            fill: { batch, summary in
                while batch.count < ImportService.batchSize, let day = days.popFirst() {
                    if Self.identity(day.handle, region: region) == nil {
                        summary.skipped.append(
                            .init(
                                line: nil, record: nil,
                                reason: "a conversation with a handle that is neither a number nor an address"))
                    } else {
                        batch.append(day)
                    }
                }
            }, apply: apply)
        let skipped = counts.skippedWithoutDate + counts.skippedWithoutHandle
        if skipped > 0 {
            summary.skipped.append(
                .init(line: nil, record: nil, reason: "\(skipped) messages without a date or a sender were not counted")
            )
        }
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ batch: [MessageDayCount]) async throws -> ImportBatchResult {
        let scope = self.scope
        let source = self.source
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(batch.compactMap { Self.identity($0.handle, region: scope.phoneRegion) })
            var result = ImportBatchResult()
            for day in batch {
                guard let identity = Self.identity(day.handle, region: scope.phoneRegion) else { continue }
                let upsert = try await writer.upsertPerson(
                    name: day.handle, company: nil, title: nil, identities: [identity])
                result.count(upsert)
                writer.addInteraction(
                    NewInteraction(
                        kind: .message, occurredAt: day.day, description: "\(day.sent) sent, \(day.received) received",
                        count: day.sent + day.received,
                        key: "imessage:\(identity.kind.rawValue):\(identity.value):\(Self.dayKey(day.day))",
                        source: source),
                    to: upsert.personID)
            }
            result.interactions = try await writer.finish()
            return result
        }
    }

    /// A handle is a phone number or an email address.
    static func identity(_ handle: String, region: String) -> NormalizedIdentity? {
        if handle.contains("@") {
            return IdentityNormalizer.email(handle).map { NormalizedIdentity(kind: .email, value: $0) }
        }
        return IdentityNormalizer.phone(handle, defaultRegion: region).map {
            NormalizedIdentity(kind: .phone, value: $0)
        }
    }

    static func dayKey(_ day: Date) -> String {
        let days = Int((day.timeIntervalSince1970 / 86_400).rounded(.down))
        return String(days)
    }
}
