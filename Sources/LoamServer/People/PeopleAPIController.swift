import Fluent
import Foundation
import LoamKit
import Vapor

/// `/api/v1/people`: list (cursor pagination), create (merging on a shared hard identifier), get,
/// delete, and the person's notes. Every handler goes through `Request.people()`.
struct PeopleAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let people = routes.grouped("api", "v1", "people")
        people.get(use: list)
        people.post(use: create)
        people.get(":personID", use: show)
        people.delete(":personID", use: delete)
        people.get(":personID", "notes", use: notes)
        people.post(":personID", "notes", use: addNote)
    }

    struct CreatePersonRequest: Content {
        var name: String
        var emails: [String]?
        var phones: [String]?
        var company: String?
        var title: String?
    }

    struct IdentityDTO: Content {
        var kind: String
        var value: String
        var source: String
        var seenAt: Date
    }

    struct PersonDTO: Content {
        var id: UUID
        var name: String
        var company: String?
        var title: String?
        var isFavourite: Bool
        var archived: Bool
        var identities: [IdentityDTO]
        var createdAt: Date?
        /// Set on create: true when the facts went to a person the user already had.
        var merged: Bool?
    }

    struct NoteRequest: Content {
        var body: String
    }

    struct NoteDTO: Content {
        var id: UUID
        var body: String
        var createdAt: Date?
    }

    @Sendable
    func list(request: Request) async throws -> Page<PersonDTO> {
        let scope = try request.people()
        let limit = min(max((try? request.query.get(Int.self, at: "limit")) ?? 50, 1), 200)
        let (people, next) = try await scope.list(cursor: try? request.query.get(String.self, at: "cursor"), limit: limit)
        var items: [PersonDTO] = []
        for person in people { items.append(try await dto(person, scope)) }
        return Page(items: items, nextCursor: next)
    }

    /// 201 with the new person, or 200 with `"merged": true` when a hard identifier already named one.
    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.people()
        let body = try request.content.decode(CreatePersonRequest.self)
        let identities = try scope.normalize(emails: body.emails ?? [], phones: body.phones ?? [])
        let (person, merged) = try await scope.create(
            name: body.name, company: Self.clean(body.company), title: Self.clean(body.title), identities: identities, source: "api")
        var result = try await dto(person, scope)
        result.merged = merged
        return try await result.encodeResponse(status: merged ? .ok : .created, for: request)
    }

    @Sendable
    func show(request: Request) async throws -> PersonDTO {
        let scope = try request.people()
        return try await dto(try await scope.person(request.parameters.get("personID", as: UUID.self)), scope)
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try await request.people().delete(request.parameters.get("personID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func notes(request: Request) async throws -> Page<NoteDTO> {
        let notes = try await request.people().notes(of: request.parameters.get("personID", as: UUID.self))
        return Page(items: try notes.map { NoteDTO(id: try $0.0.requireID(), body: $0.1, createdAt: $0.0.createdAt) }, nextCursor: nil)
    }

    @Sendable
    func addNote(request: Request) async throws -> Response {
        let scope = try request.people()
        let body = try request.content.decode(NoteRequest.self)
        let (note, text) = try await scope.addNote(to: request.parameters.get("personID", as: UUID.self), body: body.body)
        return try await NoteDTO(id: try note.requireID(), body: text, createdAt: note.createdAt).encodeResponse(status: .created, for: request)
    }

    private func dto(_ person: Person, _ scope: PeopleScope) async throws -> PersonDTO {
        let identities = try await scope.identities(of: person).map {
            IdentityDTO(kind: $0.kind, value: $0.value, source: $0.source, seenAt: $0.seenAt)
        }
        return PersonDTO(
            id: try person.requireID(), name: person.name, company: person.company, title: person.title,
            isFavourite: person.isFavourite, archived: person.archivedAt != nil, identities: identities,
            createdAt: person.createdAt, merged: nil)
    }

    private static func clean(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return String(trimmed.prefix(200))
    }
}
