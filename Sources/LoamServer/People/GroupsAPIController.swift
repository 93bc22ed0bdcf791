import Fluent
import Foundation
import LoamKit
import Vapor

/// `/api/v1/groups`: the user's groups, and who is in them (`PUT`/`DELETE /api/v1/groups/{id}/people/{personID}`).
struct GroupsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let groups = routes.grouped("api", "v1", "groups")
        groups.get(use: list)
        groups.post(use: create)
        groups.get(":groupID", use: show)
        groups.patch(":groupID", use: rename)
        groups.delete(":groupID", use: delete)
        groups.put(":groupID", "people", ":personID", use: addPerson)
        groups.delete(":groupID", "people", ":personID", use: removePerson)
    }

    @Sendable
    func list(request: Request) async throws -> Page<PeopleDTO.Group> {
        let scope = try request.people()
        let sizes = try await scope.groupSizes()
        return Page(items: try await scope.groups().map { try PeopleDTO.Group($0, sizes: sizes) }, nextCursor: nil)
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.people()
        let body = try request.content.decode(PeopleDTO.GroupRequest.self)
        let group = try await scope.createGroup(name: body.name)
        return try await PeopleDTO.Group(group, sizes: [:]).encodeResponse(status: .created, for: request)
    }

    @Sendable
    func show(request: Request) async throws -> PeopleDTO.Group {
        let scope = try request.people()
        let group = try await scope.group(request.parameters.get("groupID", as: UUID.self))
        return try PeopleDTO.Group(group, sizes: try await scope.groupSizes())
    }

    @Sendable
    func rename(request: Request) async throws -> PeopleDTO.Group {
        let scope = try request.people()
        let id = try await scope.group(request.parameters.get("groupID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.GroupRequest.self)
        let group = try await scope.renameGroup(id, to: body.name)
        return try PeopleDTO.Group(group, sizes: try await scope.groupSizes())
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try await request.people().deleteGroup(request.parameters.get("groupID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func addPerson(request: Request) async throws -> HTTPStatus {
        try await request.people().addToGroup(
            request.parameters.get("groupID", as: UUID.self), person: request.parameters.get("personID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func removePerson(request: Request) async throws -> HTTPStatus {
        try await request.people().removeFromGroup(
            request.parameters.get("groupID", as: UUID.self), person: request.parameters.get("personID", as: UUID.self))
        return .noContent
    }
}

extension PeopleDTO.Group {
    init(_ group: PersonGroup, sizes: [UUID: Int]) throws {
        let id = try group.requireID()
        self.init(id: id, name: group.name, size: sizes[id] ?? 0, createdAt: group.createdAt)
    }
}
