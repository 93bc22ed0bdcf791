import Fluent
import Foundation
import LoamKit

/// vCard contacts (Apple, Google, Android, Outlook): each card a person with its addresses, numbers
/// (read in the user's phone region when they lack a country code), profile links, company and title.
struct AddressBookImport {
    let scope: PeopleScope
    let source: String

    func run(_ reader: VCardReader, into summary: inout ImportSummary, progress: ImportService.Progress?) async throws {
        try await ImportBatching.run(
            into: &summary, progress: progress, position: { (reader.bytesRead, reader.totalBytes) },
            fill: { batch, summary in
                while batch.count < ImportService.batchSize, let item = try reader.next() {
                    switch item {
                    case .card(let card): batch.append(card)
                    case .skipped(let line, let reason):
                        summary.skipped.append(.init(line: line, record: nil, reason: reason))
                    }
                }
            }, apply: apply)
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ cards: [VCardRecord]) async throws -> ImportBatchResult {
        let scope = self.scope
        let source = self.source
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(cards.flatMap { Self.identities(of: $0, region: scope.phoneRegion) })
            var result = ImportBatchResult()
            for card in cards {
                let found = Self.identities(of: card, region: scope.phoneRegion)
                guard let name = card.displayName ?? found.first?.value else {
                    result.skipped.append(
                        .init(
                            line: card.line, record: nil,
                            reason: "the card names nobody: no name, organization, address or number"))
                    continue
                }
                result.count(
                    try await writer.upsertPerson(
                        name: name, company: card.organization, title: card.title, identities: found))
            }
            try await writer.finish()
            return result
        }
    }

    /// The card's hard identifiers, normalized; values that are not identifiers (a phone "ask Dana") are left out.
    static func identities(of card: VCardRecord, region: String) -> [NormalizedIdentity] {
        var result: [NormalizedIdentity] = []
        for email in card.emails {
            if let value = IdentityNormalizer.email(email.value) {
                result.append(NormalizedIdentity(kind: .email, value: value))
            }
        }
        for phone in card.phones {
            if let value = IdentityNormalizer.phone(phone.value, defaultRegion: region) {
                result.append(NormalizedIdentity(kind: .phone, value: value))
            }
        }
        for url in card.urls {
            if let value = IdentityNormalizer.profileURL(url.value) {
                result.append(NormalizedIdentity(kind: .profileURL, value: value))
            }
        }
        return result
    }
}
