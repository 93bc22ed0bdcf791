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
        let keyring = scope.keyring
        let preparer = MailPreparer(
            reader: reader, owner: scope.owner, me: myAddresses, source: source,
            cipher: try await keyring.fieldCipher(for: scope.owner, on: scope.db),
            blindIndex: try await keyring.blindIndex(for: scope.owner, on: scope.db))
        try await ImportBatching.runPipelined(
            into: &summary, progress: progress, totalBytes: reader.totalBytes, next: { try preparer.nextBatch() },
            apply: apply)
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ batch: [PreparedMail]) async throws -> ImportBatchResult {
        let scope = self.scope
        let source = self.source
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(
                batch.flatMap { $0.people.map { NormalizedIdentity(kind: .email, value: $0.address) } })
            var result = ImportBatchResult()
            for mail in batch {
                guard !mail.people.isEmpty else { continue }
                guard mail.interactions.count == mail.people.count else {
                    result.skipped.append(
                        .init(
                            line: mail.line, record: nil, reason: "no usable Date header; the message was not imported")
                    )
                    continue
                }
                for (person, interaction) in zip(mail.people, mail.interactions) {
                    let upsert = try await writer.upsertPerson(
                        name: person.name ?? Self.nameFromAddress(person.address), company: nil, title: nil,
                        identities: [NormalizedIdentity(kind: .email, value: person.address)])
                    result.count(upsert)
                    writer.addInteraction(interaction, to: upsert.personID)
                }
            }
            result.interactions = try await writer.finish()
            return result
        }
    }

    /// Everyone on the message but the importer, once each, by normalized address; and their roles (once per
    /// address and role) with whether the importer sent it. One pass: each address is normalized once.
    static func participants(_ headers: MailHeaders, excluding me: Set<String>) -> (
        people: [Participant], roles: InteractionRoles
    ) {
        var seen: Set<String> = []
        var people: [Participant] = []
        var seenRoles: Set<InteractionRoles.Participant> = []
        var roles: [InteractionRoles.Participant] = []
        var sent = false
        let lists: [(String, [MailboxAddress])] = [
            ("from", headers.from), ("sender", headers.sender), ("reply-to", headers.replyTo), ("to", headers.to),
            ("cc", headers.cc), ("bcc", headers.bcc),
        ]
        for (role, list) in lists {
            for entry in list {
                guard let address = IdentityNormalizer.email(entry.address) else { continue }
                if me.contains(address) {
                    if role == "from" { sent = true }
                    continue
                }
                let participant = InteractionRoles.Participant(address: address, role: role)
                if seenRoles.insert(participant).inserted { roles.append(participant) }
                guard seen.insert(address).inserted else { continue }
                let name = entry.name?.trimmingSpacesAndNewlines()
                people.append(
                    Participant(address: address, name: name.flatMap { $0.isEmpty || $0.contains("@") ? nil : $0 }))
            }
        }
        return (people, InteractionRoles(direction: sent ? .sent : .received, participants: roles))
    }

    /// Someone on a message, by normalized address, with the display name it gave.
    struct Participant: Sendable {
        let address: String
        let name: String?
    }

    /// A message as its batch is written: who is on it, and one interaction with each, sealed ahead
    /// (`PreparedInteraction`); none when the message has no usable date.
    struct PreparedMail: Sendable {
        let line: Int
        let people: [Participant]
        let interactions: [PreparedInteraction]
    }

    /// Reads the mailbox a batch at a time and prepares each message off the database's path. Only
    /// `ImportBatching.runPipelined` calls it, one batch at a time, which is what makes the unchecked `Sendable` true.
    final class MailPreparer: @unchecked Sendable {
        private let reader: MboxReader
        private let owner: OwnerID
        private let me: Set<String>
        private let source: String
        private let cipher: FieldCipher
        private let blindIndex: BlindIndex

        init(
            reader: MboxReader, owner: OwnerID, me: Set<String>, source: String, cipher: FieldCipher,
            blindIndex: BlindIndex
        ) {
            self.reader = reader
            self.owner = owner
            self.me = me
            self.source = source
            self.cipher = cipher
            self.blindIndex = blindIndex
        }

        func nextBatch() throws -> PreparedBatch<PreparedMail> {
            var batch = PreparedBatch<PreparedMail>()
            // A thread's messages share a subject: its tokens are hashed once per batch.
            var tokensBySubject: [String: String] = [:]
            while batch.records.count < ImportService.batchSize, let item = try reader.next() {
                switch item {
                case .message(let headers):
                    if headers.isBulk || headers.isChat {
                        batch.ignored += 1
                    } else {
                        switch headers.dateFallback {
                        case .envelope: batch.datedFromEnvelope += 1
                        case .received: batch.datedFromReceived += 1
                        case nil: break
                        }
                        batch.records.append(try prepare(headers, tokensBySubject: &tokensBySubject))
                    }
                case .skipped(let line, let reason):
                    batch.skipped.append(.init(line: line, record: nil, reason: reason))
                }
            }
            batch.bytesRead = reader.bytesRead
            return batch
        }

        private func prepare(_ headers: MailHeaders, tokensBySubject: inout [String: String]) throws -> PreparedMail {
            let (people, roles) = MailboxImport.participants(headers, excluding: me)
            guard !people.isEmpty, let date = headers.date else {
                return PreparedMail(line: headers.line, people: people, interactions: [])
            }
            let subject = headers.subject.map { String($0.prefix(InteractionRecord.maximumText)) }
            let addresses = people.map(\.address)
            // The same list and subject for everyone on the message: its JSON and tokens are made once.
            let tokens =
                subject.map { subject in
                    if let known = tokensBySubject[subject] { return known }
                    let made = InteractionRecord.subjectTokens(subject, blindIndex: blindIndex)
                    tokensBySubject[subject] = made
                    return made
                } ?? ""
            let key = MailboxImport.key(headers, date: date)
            let first = NewInteraction(
                kind: .mail, occurredAt: date, subject: subject, attendees: addresses,
                roles: roles, key: key, source: source)
            // One keyed hash and one roles JSON for the message, whoever it is with.
            let dedupKey = InteractionRecord.dedupKey(first, blindIndex: blindIndex)
            let rolesJSON = try first.roles?.storageJSON()
            let interactions = try people.map { _ in
                try PreparedInteraction(
                    first, owner: owner, cipher: cipher, blindIndex: blindIndex, rolesJSON: rolesJSON,
                    subjectTokens: tokens, dedupKey: dedupKey)
            }
            return PreparedMail(line: headers.line, people: people, interactions: interactions)
        }
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
        let words = local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" || $0 == "+" }).map {
            $0.prefix(1).uppercased() + $0.dropFirst()
        }
        return words.isEmpty ? address : words.joined(separator: " ")
    }
}
