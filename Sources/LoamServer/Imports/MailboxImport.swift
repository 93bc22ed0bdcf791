import Fluent
import Foundation
import LoamKit

/// An mbox (Google Takeout and others), read for its headers only: everyone a message was from, to, cc or
/// bcc becomes a person (by address), and the message an interaction with each, keyed by its Message-ID.
/// Bulk mail and chat pseudo-messages create nobody; the importer's own addresses are not people.
struct MailboxImport {
    let scope: PeopleScope
    let source: String
    let myAddresses: Set<String>

    func run(_ reader: MboxReader, into summary: inout ImportSummary, progress: ImportService.Progress?) async throws {
        try await ImportBatching.run(
            into: &summary, progress: progress, position: { (reader.bytesRead, reader.totalBytes) },
            fill: { batch, summary in
                while batch.count < ImportService.batchSize, let item = try reader.next() {
                    switch item {
                    case .message(let headers):
                        if headers.isBulk || headers.isChat {
                            summary.ignored += 1
                        } else {
                            batch.append(headers)
                        }
                    case .skipped(let line, let reason):
                        summary.skipped.append(.init(line: line, record: nil, reason: reason))
                    }
                }
            }, apply: apply)
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ batch: [MailHeaders]) async throws -> ImportBatchResult {
        let scope = self.scope, source = self.source, me = self.myAddresses
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(
                batch.flatMap { Self.participants($0, excluding: me).map { NormalizedIdentity(kind: .email, value: $0.address) } })
            var result = ImportBatchResult()
            for headers in batch {
                let people = Self.participants(headers, excluding: me)
                guard !people.isEmpty else { continue }
                guard let date = headers.date else {
                    result.skipped.append(.init(line: headers.line, record: nil, reason: "no usable Date header; the message was not imported"))
                    continue
                }
                let addresses = people.map(\.address)
                for person in people {
                    let upsert = try await writer.upsertPerson(
                        name: person.name ?? Self.nameFromAddress(person.address), company: nil, title: nil,
                        identities: [NormalizedIdentity(kind: .email, value: person.address)])
                    result.count(upsert)
                    let interaction = NewInteraction(
                        kind: .mail, occurredAt: date, subject: headers.subject.map { String($0.prefix(PeopleScope.maximumInteractionText)) },
                        attendees: addresses, key: Self.key(headers, date: date), source: source)
                    writer.addInteraction(interaction, to: upsert.personID)
                }
            }
            result.interactions = try await writer.finish()
            return result
        }
    }

    /// Everyone on the message but the importer, once each, by normalized address.
    static func participants(_ headers: MailHeaders, excluding me: Set<String>) -> [(address: String, name: String?)] {
        var seen: Set<String> = []
        var result: [(String, String?)] = []
        for entry in headers.from + headers.sender + headers.replyTo + headers.to + headers.cc + headers.bcc {
            guard let address = IdentityNormalizer.email(entry.address), !me.contains(address), seen.insert(address).inserted else { continue }
            let name = entry.name?.trimmingSpacesAndNewlines()
            result.append((address, name.flatMap { $0.isEmpty || $0.contains("@") ? nil : $0 }))
        }
        return result
    }

    /// The Message-ID, or for a message without one its date and sender: the same message again is the same key.
    static func key(_ headers: MailHeaders, date: Date) -> String {
        if let id = headers.messageID, !id.isEmpty { return "mid:" + String(id.prefix(400)) }
        let from = headers.from.first.flatMap { IdentityNormalizer.email($0.address) } ?? ""
        return "mail:\(Int(date.timeIntervalSince1970)):\(from)"
    }

    /// "dana.oster@example.com" becomes "Dana Oster" when a message gives no name.
    static func nameFromAddress(_ address: String) -> String {
        let local = address.split(separator: "@").first.map(String.init) ?? address
        let words = local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" || $0 == "+" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.isEmpty ? address : words.joined(separator: " ")
    }
}
