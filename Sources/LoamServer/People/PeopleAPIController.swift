import Fluent
import Foundation
import LoamKit
import Vapor

/// `/api/v1/people`: list, create (merging on a shared hard identifier), get, update, archive, delete,
/// and each person's identities and notes. Every handler goes through `Request.people()`, and looks the
/// person up before it reads a body, so another user's id is 404 whatever the body holds.
struct PeopleAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let people = routes.grouped("api", "v1", "people")
        people.get(use: list)
        people.post(use: create)
        people.get(":personID", use: show)
        people.patch(":personID", use: update)
        people.delete(":personID", use: delete)
        people.get(":personID", "identities", use: identities)
        people.post(":personID", "identities", use: addIdentity)
        people.delete(":personID", "identities", ":identityID", use: removeIdentity)
        people.get(":personID", "notes", use: notes)
        people.post(":personID", "notes", use: addNote)
        people.patch(":personID", "notes", ":noteID", use: updateNote)
        people.delete(":personID", "notes", ":noteID", use: deleteNote)
    }

    @Sendable
    func list(request: Request) async throws -> Page<PeopleDTO.Summary> {
        let scope = try request.people()
        let (people, next) = try await scope.list(try PeopleListOptions(query: request))
        return Page(items: try people.map(PeopleDTO.Summary.init), nextCursor: next)
    }

    /// 201 with the new person, or 200 with `"merged": true` when a hard identifier already named one.
    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.people()
        let body = try request.content.decode(PeopleDTO.Create.self)
        let identities = try scope.normalize(emails: body.emails ?? [], phones: body.phones ?? [])
        let (person, merged) = try await scope.create(
            name: body.name, company: PersonText.cleanFact(body.company), title: PersonText.cleanFact(body.title),
            identities: identities, source: "api")
        var result = try await scope.dto(person)
        result.merged = merged
        return try await result.encodeResponse(status: merged ? .ok : .created, for: request)
    }

    @Sendable
    func show(request: Request) async throws -> PeopleDTO.Person {
        let scope = try request.people()
        return try await scope.dto(try await scope.person(request.parameters.get("personID", as: UUID.self)))
    }

    /// The user's edit: name, company, title, favourite, archived. What the user sets wins over later imports.
    @Sendable
    func update(request: Request) async throws -> PeopleDTO.Person {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.Update.self)
        let change = PersonChange(
            name: body.name, company: body.company, title: body.title, isFavourite: body.isFavourite,
            archived: body.archived)
        return try await scope.dto(try await scope.update(id, change))
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try await request.people().delete(request.parameters.get("personID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func identities(request: Request) async throws -> Page<PeopleDTO.Identity> {
        let scope = try request.people()
        let person = try await scope.person(request.parameters.get("personID", as: UUID.self))
        return Page(items: try await scope.identities(of: person).map(PeopleDTO.Identity.init), nextCursor: nil)
    }

    @Sendable
    func addIdentity(request: Request) async throws -> Response {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.NewIdentity.self)
        let identity = try await scope.addIdentity(to: id, kind: body.kind, value: body.value)
        return try await PeopleDTO.Identity(identity).encodeResponse(status: .created, for: request)
    }

    @Sendable
    func removeIdentity(request: Request) async throws -> HTTPStatus {
        try await request.people().removeIdentity(
            request.parameters.get("identityID", as: UUID.self), of: request.parameters.get("personID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func notes(request: Request) async throws -> Page<PeopleDTO.Note> {
        let notes = try await request.people().notes(of: request.parameters.get("personID", as: UUID.self))
        return Page(
            items: try notes.map { PeopleDTO.Note(id: try $0.0.requireID(), body: $0.1, createdAt: $0.0.createdAt) },
            nextCursor: nil)
    }

    @Sendable
    func addNote(request: Request) async throws -> Response {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.NoteRequest.self)
        let (note, text) = try await scope.addNote(to: id, body: body.body)
        return try await PeopleDTO.Note(id: try note.requireID(), body: text, createdAt: note.createdAt)
            .encodeResponse(status: .created, for: request)
    }
}

extension PeopleAPIController {
    @Sendable
    func updateNote(request: Request) async throws -> PeopleDTO.Note {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.NoteRequest.self)
        let (note, text) = try await scope.updateNote(
            request.parameters.get("noteID", as: UUID.self), of: id, body: body.body)
        return PeopleDTO.Note(id: try note.requireID(), body: text, createdAt: note.createdAt)
    }

    @Sendable
    func deleteNote(request: Request) async throws -> HTTPStatus {
        try await request.people().deleteNote(
            request.parameters.get("noteID", as: UUID.self), of: request.parameters.get("personID", as: UUID.self))
        return .noContent
    }
}

extension PeopleDTO.Identity {
    init(_ identity: OpenedIdentity) throws {
        self.init(
            id: identity.id, kind: identity.kind, value: identity.value, source: identity.source,
            seenAt: identity.seenAt)
    }
}

extension PeopleScope {
    /// The person with identities, groups and provenance, as the API shows them.
    func dto(_ person: Person) async throws -> PeopleDTO.Person {
        PeopleDTO.Person(
            id: try person.requireID(), name: person.name, company: person.company, title: person.title,
            isFavourite: person.isFavourite, archived: person.archivedAt != nil,
            identities: try await identities(of: person).map(PeopleDTO.Identity.init),
            groups: try await groups(of: person).map { PeopleDTO.GroupRef(id: try $0.requireID(), name: $0.name) },
            sources: PeopleDTO.Sources(
                name: person.nameSource, company: person.companySource, title: person.titleSource),
            firstContactAt: person.firstContactAt, lastContactAt: person.lastContactAt,
            interactionCount: person.interactionCount,
            createdAt: person.createdAt, updatedAt: person.updatedAt, merged: nil)
    }
}

extension PeopleListOptions {
    /// `?sort=name|last_contact|interactions&group=ID&archived=true&favourites=true&limit=50&cursor=…`
    init(query request: Request) throws {
        self.init()
        if let sort = try? request.query.get(String.self, at: "sort"), !sort.isEmpty {
            guard let parsed = Sort(rawValue: sort) else {
                throw PeopleError.invalidQuery("sort is one of name, last_contact or interactions.")
            }
            self.sort = parsed
        }
        if let group = try? request.query.get(String.self, at: "group"), !group.isEmpty {
            guard let id = UUID(uuidString: group) else { throw PeopleError.notFound }
            groupID = id
        }
        archived = (try? request.query.get(Bool.self, at: "archived")) ?? false
        favouritesOnly = (try? request.query.get(Bool.self, at: "favourites")) ?? false
        cursor = request.listCursor
        limit = request.listLimit()
    }
}
