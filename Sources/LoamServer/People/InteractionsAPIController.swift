import Fluent
import Foundation
import LoamKit
import Vapor

/// A person's timeline and interactions: `GET /api/v1/people/{id}/timeline`, `POST …/interactions`.
struct InteractionsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let person = routes.grouped("api", "v1", "people", ":personID")
        person.get("timeline", use: timeline)
        person.post("interactions", use: add)
    }

    /// `?order=oldest` for oldest first; `limit` and `cursor` page through.
    @Sendable
    func timeline(request: Request) async throws -> PeopleDTO.Timeline {
        let scope = try request.people()
        let person = try await scope.person(request.parameters.get("personID", as: UUID.self))
        let limit = request.listLimit()
        let oldestFirst = (try? request.query.get(String.self, at: "order")) == "oldest"
        let (items, next) = try await scope.timeline(
            of: try person.requireID(), oldestFirst: oldestFirst, cursor: request.listCursor,
            limit: limit)
        let summary = try await scope.contactSummary(of: person)
        return PeopleDTO.Timeline(
            firstContact: summary.firstContact, lastContactAt: summary.lastContactAt,
            counts: Dictionary(
                uniqueKeysWithValues: InteractionKind.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) }),
            items: items, nextCursor: next)
    }

    /// 201 with the interaction; 200 with the first one when its `key` was seen before (nothing is added twice).
    @Sendable
    func add(request: Request) async throws -> Response {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.NewInteraction.self)
        guard let kind = InteractionKind(rawValue: body.kind) else {
            throw PeopleError.invalidInteraction("kind is one of mail, meeting, message or social.")
        }
        let new = NewInteraction(
            kind: kind, occurredAt: body.occurredAt, subject: PersonText.cleanText(body.subject),
            description: PersonText.cleanText(body.description), attendees: body.attendees ?? [],
            count: body.count ?? 1,
            key: body.key, source: "api")
        let (interaction, created) = try await scope.addInteraction(to: id, new)
        return try await interaction.encodeResponse(status: created ? .created : .ok, for: request)
    }
}
