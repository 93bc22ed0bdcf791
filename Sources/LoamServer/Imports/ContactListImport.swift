import Fluent
import Foundation
import LoamKit

/// Contact lists from the services people use (LinkedIn connections, Google and Outlook contacts, Facebook
/// friends, X follows): each record a person with its identifiers, company and title, through the same
/// resolution as every import. When the export says when the connection began, that becomes a social
/// interaction ("how you know them"), keyed so a re-import adds nothing.
struct ContactListImport {
    let scope: PeopleScope
    let source: String
    /// "LinkedIn", "Facebook", …: for the interaction's title.
    let service: String
    let format: String

    func run(_ reader: any ContactListReader, into summary: inout ImportSummary, progress: ImportService.Progress?)
        async throws
    {
        try await ImportBatching.run(
            into: &summary, progress: progress, position: { (reader.bytesRead, reader.totalBytes) },
            fill: { batch, summary in
                while batch.count < ImportService.batchSize, let item = try reader.next() {
                    switch item {
                    case .contact(let record): batch.append(record)
                    case .skipped(let line, let reason):
                        summary.skipped.append(.init(line: line, record: nil, reason: reason))
                    }
                }
            }, apply: apply)
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ batch: [ContactRecord]) async throws -> ImportBatchResult {
        let scope = self.scope
        let source = self.source
        let service = self.service
        let format = self.format
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(
                batch.flatMap { Self.identities(of: $0, region: scope.phoneRegion, format: format) })
            var result = ImportBatchResult()
            for record in batch {
                let found = Self.identities(of: record, region: scope.phoneRegion, format: format)
                guard let name = record.displayName ?? Self.fallbackName(found, service: service), !found.isEmpty else {
                    result.skipped.append(
                        .init(
                            line: record.line, record: nil,
                            reason: "the record names nobody: no name, address, number or account"))
                    continue
                }
                let upsert = try await writer.upsertPerson(
                    name: name, company: PersonText.cleanFact(record.organization),
                    title: PersonText.cleanFact(record.title), identities: found)
                result.count(upsert)
                if let since = record.connectedAt {
                    // One "connected" per person and service, whatever the row it came from.
                    let anchor = found.first.map { "\($0.kind.rawValue):\($0.value)" } ?? name.lowercased()
                    writer.addInteraction(
                        NewInteraction(
                            kind: .social, occurredAt: since,
                            subject: Self.connectedTitle(service: service, relationship: record.relationship),
                            key: "\(format):connected:\(anchor)", source: source),
                        to: upsert.personID)
                }
            }
            result.interactions = try await writer.finish()
            return result
        }
    }

    static func connectedTitle(service: String, relationship: String?) -> String {
        relationship == "friend" ? "Became friends on \(service)" : "Connected on \(service)"
    }

    /// A record with identifiers but no name (an X account the export names only by id): named after the
    /// first identifier so it can be found and renamed.
    static func fallbackName(_ identities: [NormalizedIdentity], service: String) -> String? {
        guard let first = identities.first else { return nil }
        switch first.kind {
        case .sourceID:
            let id = first.value.split(separator: ":", maxSplits: 1).last.map(String.init) ?? first.value
            return "\(service) account \(id)"
        case .handle:
            return "@" + (first.value.split(separator: ":", maxSplits: 1).last.map(String.init) ?? first.value)
        default:
            return first.value
        }
    }

    /// The record's identifiers, normalized; values that are not identifiers are left out. A record with none
    /// at all (a Facebook friends list gives only names and dates) is keyed by its name and when the connection
    /// began, so importing the list again finds the same people instead of adding them twice.
    static func identities(of record: ContactRecord, region: String, format: String) -> [NormalizedIdentity] {
        let found = identities(of: record, region: region)
        guard found.isEmpty, let name = record.displayName else { return found }
        let since = record.connectedAt.map { String(Int($0.timeIntervalSince1970)) } ?? "unknown"
        return [sourceID(service: format, value: "\(record.relationship ?? "contact"):\(name.lowercased()):\(since)")]
            .compactMap { $0 }
    }

    static func identities(of record: ContactRecord, region: String) -> [NormalizedIdentity] {
        var result: [NormalizedIdentity] = []
        for identifier in record.identifiers {
            let normalized: NormalizedIdentity? =
                switch identifier {
                case .email(let value):
                    IdentityNormalizer.email(value).map { NormalizedIdentity(kind: .email, value: $0) }
                case .phone(let value):
                    IdentityNormalizer.phone(value, defaultRegion: region).map {
                        NormalizedIdentity(kind: .phone, value: $0)
                    }
                case .profileURL(let value):
                    IdentityNormalizer.profileURL(value).map { NormalizedIdentity(kind: .profileURL, value: $0) }
                case .handle(let service, let value):
                    IdentityNormalizer.handle(value, service: service).map {
                        NormalizedIdentity(kind: .handle, value: $0)
                    }
                case .sourceID(let service, let value): Self.sourceID(service: service, value: value)
                }
            if let normalized, !result.contains(normalized) { result.append(normalized) }
        }
        return result
    }

    /// `service:value`, both trimmed, the service lower-cased; nil when either is empty.
    static func sourceID(service: String, value: String) -> NormalizedIdentity? {
        let service = service.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !service.isEmpty, !service.contains(":"), !value.isEmpty, value.count <= 200 else { return nil }
        return NormalizedIdentity(kind: .sourceID, value: "\(service):\(value)")
    }
}
