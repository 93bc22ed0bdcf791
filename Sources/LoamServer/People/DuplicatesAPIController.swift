import Fluent
import Foundation
import LoamKit
import Vapor

/// The Duplicates review and merges: `GET /api/v1/duplicates`, `POST /api/v1/people/{id}/merge {other_id}`
/// (the other person goes into this one), `POST /api/v1/people/{id}/not-same {other_id}`,
/// `GET /api/v1/merges`, `POST /api/v1/merges/{id}/undo`.
struct DuplicatesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("duplicates", use: duplicates)
        api.post("people", ":personID", "merge", use: merge)
        api.post("people", ":personID", "not-same", use: notSame)
        api.get("merges", use: merges)
        api.post("merges", ":mergeID", "undo", use: undo)
    }

    @Sendable
    func duplicates(request: Request) async throws -> Page<PeopleDTO.Duplicate> {
        let candidates = try await request.people().duplicates()
        return Page(
            items: try candidates.map {
                PeopleDTO.Duplicate(
                    people: [try PeopleDTO.Summary($0.first), try PeopleDTO.Summary($0.second)],
                    reason: $0.reason.rawValue,
                    explanation: $0.reason.explanation)
            }, nextCursor: nil)
    }

    /// 201 with the merge (its id undoes it).
    @Sendable
    func merge(request: Request) async throws -> Response {
        let scope = try request.people()
        let survivorID = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.OtherPerson.self)
        let merge = try await scope.merge(body.otherId, into: survivorID)
        return try await scope.mergeDTO(merge).encodeResponse(status: .created, for: request)
    }

    @Sendable
    func notSame(request: Request) async throws -> HTTPStatus {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        let body = try request.content.decode(PeopleDTO.OtherPerson.self)
        try await scope.markDistinct(id, body.otherId)
        return .noContent
    }

    @Sendable
    func merges(request: Request) async throws -> Page<PeopleDTO.Merge> {
        let merges = try await request.people().merges()
        return Page(
            items: try merges.map { try PeopleDTO.Merge($0.0, survivor: $0.survivor, absorbed: $0.absorbed) },
            nextCursor: nil)
    }

    @Sendable
    func undo(request: Request) async throws -> PeopleDTO.UndoResult {
        let (survivor, restored) = try await request.people().undoMerge(
            request.parameters.get("mergeID", as: UUID.self))
        return PeopleDTO.UndoResult(
            survivor: try PeopleDTO.Summary(survivor), restored: try PeopleDTO.Summary(restored))
    }
}

extension PeopleDTO.Merge {
    init(_ merge: PersonMerge, survivor: Person, absorbed: Person) throws {
        self.init(
            id: try merge.requireID(), survivor: try PeopleDTO.Summary(survivor),
            absorbed: try PeopleDTO.Summary(absorbed),
            madeBy: merge.madeBy, createdAt: merge.createdAt, undoneAt: merge.undoneAt)
    }
}

extension PeopleScope {
    func mergeDTO(_ merge: PersonMerge) async throws -> PeopleDTO.Merge {
        guard let survivor = try await Person.find(merge.survivorID, on: db),
            let absorbed = try await Person.find(merge.absorbedID, on: db)
        else { throw PeopleError.notFound }
        return try PeopleDTO.Merge(merge, survivor: survivor, absorbed: absorbed)
    }
}
