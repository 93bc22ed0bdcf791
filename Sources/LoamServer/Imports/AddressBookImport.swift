import Fluent
import Foundation
import LoamKit

/// vCard contacts (Apple, Google, Android, Outlook): each card a person with its addresses, numbers
/// (read in the user's phone region when they lack a country code), profile links, company and title.
struct AddressBookImport {
    let scope: PeopleScope
    let source: String

    func run(_ reader: VCardReader, into summary: inout ImportSummary, progress: ImportService.Progress?) async throws {
        var created: Set<UUID> = [], updated: Set<UUID> = []
        while true {
            var batch: [VCardRecord] = []
            while batch.count < ImportService.batchSize, let item = try reader.next() {
                switch item {
                case .card(let card): batch.append(card)
                case .skipped(let line, let reason): summary.skipped.append(.init(line: line, record: nil, reason: reason))
                }
            }
            if batch.isEmpty { break }
            let scope = self.scope, source = self.source, cards = batch
            let (batchCreated, batchUpdated, identities, skipped) = try await scope.db.writeTransaction { tx in
                var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
                try await writer.prefetch(cards.flatMap { Self.identities(of: $0, region: scope.phoneRegion) })
                var created: Set<UUID> = [], updated: Set<UUID> = [], identities = 0
                var skipped: [ImportSummary.Skipped] = []
                for card in cards {
                    let found = Self.identities(of: card, region: scope.phoneRegion)
                    guard let name = card.displayName ?? found.first?.value else {
                        skipped.append(.init(line: card.line, record: nil, reason: "the card names nobody: no name, organization, address or number"))
                        continue
                    }
                    let upsert = try await writer.upsertPerson(name: name, company: card.organization, title: card.title, identities: found)
                    if upsert.created { created.insert(upsert.personID) } else if upsert.updated { updated.insert(upsert.personID) }
                    identities += upsert.newIdentities
                }
                try await writer.finish()
                return (created, updated, identities, skipped)
            }
            created.formUnion(batchCreated)
            updated.formUnion(batchUpdated)
            summary.identities += identities
            summary.skipped += skipped
            progress?(reader.bytesRead, reader.totalBytes)
        }
        summary.peopleCreated = created.count
        summary.peopleUpdated = updated.subtracting(created).count
    }

    /// The card's hard identifiers, normalized; values that are not identifiers (a phone "ask Dana") are left out.
    static func identities(of card: VCardRecord, region: String) -> [NormalizedIdentity] {
        var result: [NormalizedIdentity] = []
        for email in card.emails {
            if let value = IdentityNormalizer.email(email.value) { result.append(NormalizedIdentity(kind: .email, value: value)) }
        }
        for phone in card.phones {
            if let value = IdentityNormalizer.phone(phone.value, defaultRegion: region) { result.append(NormalizedIdentity(kind: .phone, value: value)) }
        }
        for url in card.urls {
            if let value = IdentityNormalizer.profileURL(url.value) { result.append(NormalizedIdentity(kind: .profileURL, value: value)) }
        }
        return result
    }
}
