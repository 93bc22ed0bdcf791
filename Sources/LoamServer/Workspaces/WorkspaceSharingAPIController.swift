import Fluent
import Foundation
import Vapor

/// Sharing into a workspace: `…/groups` (share one of your groups, list, stop sharing) and `…/people`
/// (what members see: names, companies, titles and the workspace's notes, never contact details).
struct WorkspaceSharingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let workspace = routes.grouped("api", "v1", "workspaces", ":workspaceID")
        workspace.get("groups", use: groups)
        workspace.post("groups", use: share)
        workspace.delete("groups", ":groupID", use: unshare)
        workspace.get("people", use: people)
        workspace.get("people", ":personID", use: person)
        workspace.get("people", ":personID", "notes", use: notes)
        workspace.post("people", ":personID", "notes", use: addNote)
    }

    struct ShareRequest: Content {
        var groupId: UUID
    }

    struct SharedGroupDTO: Content {
        var groupId: UUID
        var name: String
        var sharedBy: String
        var sharedAt: Date?
    }

    struct PersonDTO: Content {
        var id: UUID
        var name: String
        var company: String?
        var title: String?
        var sharedBy: String
        var notes: [NoteDTO]?
    }

    struct NoteDTO: Content {
        var id: UUID
        var author: String
        var body: String
        var createdAt: Date?
    }

    @Sendable
    func groups(request: Request) async throws -> Page<SharedGroupDTO> {
        let shared = try await request.workspaces().sharedGroups(
            of: request.parameters.get("workspaceID", as: UUID.self))
        return Page(
            items: try shared.map {
                SharedGroupDTO(
                    groupId: try $0.1.requireID(), name: $0.1.name, sharedBy: $0.2.name, sharedAt: $0.0.createdAt)
            },
            nextCursor: nil)
    }

    /// 201: the group's people are visible to the workspace's members from now on.
    @Sendable
    func share(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let (workspace, _) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let body = try request.content.decode(ShareRequest.self)
        let (shared, group) = try await scope.share(group: body.groupId, into: try workspace.requireID())
        return try await SharedGroupDTO(
            groupId: try group.requireID(), name: group.name, sharedBy: scope.actor.name, sharedAt: shared.createdAt
        )
        .encodeResponse(status: .created, for: request)
    }

    @Sendable
    func unshare(request: Request) async throws -> HTTPStatus {
        try await request.workspaces().unshare(
            group: request.parameters.get("groupID", as: UUID.self),
            from: request.parameters.get("workspaceID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func people(request: Request) async throws -> Page<PersonDTO> {
        let people = try await request.workspaces().sharedPeople(
            of: request.parameters.get("workspaceID", as: UUID.self))
        return Page(items: people.map { PersonDTO($0, notes: nil) }, nextCursor: nil)
    }

    @Sendable
    func person(request: Request) async throws -> PersonDTO {
        let scope = try request.workspaces()
        let workspaceID = request.parameters.get("workspaceID", as: UUID.self)
        let personID = request.parameters.get("personID", as: UUID.self)
        let person = try await scope.sharedPerson(personID, in: workspaceID)
        return PersonDTO(person, notes: try await scope.notes(on: personID, in: workspaceID).map(NoteDTO.init))
    }

    @Sendable
    func notes(request: Request) async throws -> Page<NoteDTO> {
        let notes = try await request.workspaces().notes(
            on: request.parameters.get("personID", as: UUID.self),
            in: request.parameters.get("workspaceID", as: UUID.self))
        return Page(items: notes.map(NoteDTO.init), nextCursor: nil)
    }

    /// 201 with the note, which every member of the workspace can read.
    @Sendable
    func addNote(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let workspaceID = request.parameters.get("workspaceID", as: UUID.self)
        let personID = request.parameters.get("personID", as: UUID.self)
        _ = try await scope.sharedPerson(personID, in: workspaceID)
        let body = try request.content.decode(PeopleDTO.NoteRequest.self)
        let note = try await scope.addNote(on: personID, in: workspaceID, body: body.body)
        return try await NoteDTO(note).encodeResponse(status: .created, for: request)
    }
}

extension WorkspaceSharingAPIController.PersonDTO {
    init(_ person: SharedPerson, notes: [WorkspaceSharingAPIController.NoteDTO]?) {
        self.init(
            id: person.id, name: person.name, company: person.company, title: person.title, sharedBy: person.sharedBy,
            notes: notes)
    }
}

extension WorkspaceSharingAPIController.NoteDTO {
    init(_ note: OpenedWorkspaceNote) {
        self.init(id: note.id, author: note.author, body: note.body, createdAt: note.createdAt)
    }
}
