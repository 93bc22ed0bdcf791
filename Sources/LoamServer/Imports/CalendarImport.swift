import Fluent
import Foundation
import LoamKit

/// An iCalendar export (Google, Apple, Outlook, Thunderbird): everyone who organized or attended an event with
/// the user becomes a person (by address), and each occurrence that has happened a meeting with each of them,
/// keyed by the event's UID and recurrence id. Titles, descriptions and attendee lists are sealed on the way in.
/// Declined attendees, rooms and resources were left out by the reader; the user's own addresses are not people.
struct CalendarImport {
    let scope: PeopleScope
    let source: String
    let myAddresses: Set<String>

    func run(_ reader: ICalendarReader, into summary: inout ImportSummary, progress: ImportService.Progress?)
        async throws
    {
        let me = myAddresses
        try await ImportBatching.run(
            into: &summary, progress: progress, position: { (reader.bytesRead, reader.totalBytes) },
            fill: { batch, summary in
                var occurrences = 0
                // A batch is bounded by occurrences too: one daily series can carry years of them.
                while batch.count < ImportService.batchSize, occurrences < 5 * ImportService.batchSize,
                    let item = try reader.next()
                {
                    switch item {
                    case .event(let event):
                        if event.occurrences.isEmpty || Self.participants(event, excluding: me).isEmpty {
                            // Still to come, or nobody else was there: no interaction with anyone.
                            summary.ignored += 1
                        } else {
                            batch.append(event)
                            occurrences += event.occurrences.count
                        }
                    case .ignored: summary.ignored += 1
                    case .skipped(let line, let reason):
                        summary.skipped.append(.init(line: line, record: nil, reason: reason))
                    }
                }
            }, apply: apply)
    }

    /// One transaction: the batch lands whole or not at all.
    private func apply(_ batch: [ICalendarEvent]) async throws -> ImportBatchResult {
        let scope = self.scope
        let source = self.source
        let me = self.myAddresses
        return try await scope.db.writeTransaction { tx in
            var writer = try await PeopleBatchWriter.make(for: scope, source: source, on: tx)
            try await writer.prefetch(
                batch.flatMap {
                    Self.participants($0, excluding: me).map { NormalizedIdentity(kind: .email, value: $0.address) }
                })
            var result = ImportBatchResult()
            for event in batch {
                let people = Self.participants(event, excluding: me)
                let attendees = people.map(\.address)
                let roles = Self.roles(event, excluding: me)
                let title = event.summary.map { String($0.prefix(InteractionRecord.maximumText)) }
                let description = event.description.map { String($0.prefix(InteractionRecord.maximumText)) }
                for person in people {
                    let upsert = try await writer.upsertPerson(
                        name: person.name ?? MailboxImport.nameFromAddress(person.address), company: nil, title: nil,
                        identities: [NormalizedIdentity(kind: .email, value: person.address)])
                    result.count(upsert)
                    for occurrence in event.occurrences {
                        let interaction = NewInteraction(
                            kind: .meeting, occurredAt: occurrence.start, subject: title, description: description,
                            attendees: attendees, roles: roles,
                            key: "ics:" + String(occurrence.key.prefix(400)), source: source)
                        writer.addInteraction(interaction, to: upsert.personID)
                    }
                }
            }
            result.interactions = try await writer.finish()
            return result
        }
    }

    /// The organizer and the attendees who took part (but the importer), each with their role and answer.
    static func roles(_ event: ICalendarEvent, excluding me: Set<String>) -> InteractionRoles {
        var seen: Set<InteractionRoles.Participant> = []
        var participants: [InteractionRoles.Participant] = []
        let entries =
            [event.organizer].compactMap { $0 }.map { ($0, "organizer") } + event.attendees.map { ($0, "attendee") }
        for (entry, role) in entries {
            guard let address = IdentityNormalizer.email(entry.email), !me.contains(address) else { continue }
            let participant = InteractionRoles.Participant(address: address, role: role, answer: entry.answer)
            if seen.insert(participant).inserted { participants.append(participant) }
        }
        return InteractionRoles(direction: nil, participants: participants)
    }

    /// The organizer and the attendees who took part, but the importer, once each, by normalized address.
    static func participants(_ event: ICalendarEvent, excluding me: Set<String>) -> [(address: String, name: String?)] {
        var seen: Set<String> = []
        var result: [(String, String?)] = []
        for entry in [event.organizer].compactMap({ $0 }) + event.attendees {
            guard let address = IdentityNormalizer.email(entry.email), !me.contains(address),
                seen.insert(address).inserted
            else { continue }
            let name = entry.name?.trimmingCharacters(in: .whitespacesAndNewlines)
            result.append((address, name.flatMap { $0.isEmpty || $0.contains("@") ? nil : $0 }))
        }
        return result
    }
}
