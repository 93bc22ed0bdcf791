import Fluent
import Foundation
import LoamKit
import Vapor

/// `/duplicates` (pairs side by side: merge either way, "not the same", and recent merges to undo) and
/// `/groups` (create, rename, delete; a group's people are `/people?group=ID`).
extension PeoplePagesController {
    func bootReview(_ routes: any RoutesBuilder) {
        let review = routes.signedInPages(landing: "/duplicates")
        review.get("duplicates", use: duplicatesPage)
        review.post("duplicates", "merge", use: merge)
        review.post("duplicates", "not-same", use: notSame)
        review.post("merges", ":mergeID", "undo", use: undo)
        let groups = routes.grouped("groups").signedInPages(landing: "/groups")
        groups.get(use: groupsPage)
        groups.post(use: createGroup)
        groups.post(":groupID", "rename", use: renameGroup)
        groups.post(":groupID", "delete", use: deleteGroup)
    }

    struct DuplicatesPage: Encodable {
        var pairs: [PairItem]
        var merges: [MergeItem]
        var notice: String?
        var error: String?
    }

    struct PairItem: Encodable {
        var first: Side
        var second: Side
        var explanation: String
    }

    struct Side: Encodable {
        var id: String
        var name: String
        var company: String?
        var title: String?
        var identities: [String]
        var source: String
    }

    struct MergeItem: Encodable {
        var id: String
        var survivorID: String
        var survivor: String
        var absorbed: String
        var time: String
        var undone: Bool
    }

    struct PairForm: Content {
        var survivorId: String?
        var absorbedId: String?
        var firstId: String?
        var secondId: String?

        // Forms are not JSON: the snake_case strategy does not reach them.
        enum CodingKeys: String, CodingKey {
            case survivorId = "survivor_id"
            case absorbedId = "absorbed_id"
            case firstId = "first_id"
            case secondId = "second_id"
        }
    }

    struct GroupsPage: Encodable {
        var groups: [GroupItem]
        var error: String?
    }

    struct GroupItem: Encodable {
        var id: String
        var name: String
        var size: Int
    }

    struct GroupNameForm: Content {
        var name: String?
    }

    enum ReviewNotice: String, PageNotice {
        case merged = "merged"
        case notSame = "not-same"
        case undone = "undone"

        var text: String {
            switch self {
            case .merged: "Merged. The merge is listed below if you want to undo it."
            case .notSame: "Noted: they will not be suggested again."
            case .undone: "Undone: both people are back as they were, and they will not be suggested again."
            }
        }
    }

    @Sendable
    func duplicatesPage(request: Request) async throws -> Response {
        let scope = try request.people()
        let notice = request.notice(ReviewNotice.self)
        return try await renderDuplicates(request, scope, notice: notice, error: nil, status: .ok)
    }

    private func renderDuplicates(
        _ request: Request, _ scope: PeopleScope, notice: String?, error: String?, status: HTTPResponseStatus
    )
        async throws -> Response
    {
        let dates = scope.pageDates
        var pairs: [PairItem] = []
        for candidate in try await scope.duplicates() {
            pairs.append(
                PairItem(
                    first: try await side(candidate.first, scope), second: try await side(candidate.second, scope),
                    explanation: candidate.reason.explanation))
        }
        let merges = try await scope.merges(limit: 20).map { merge, survivor, absorbed in
            MergeItem(
                id: try merge.requireID().uuidString, survivorID: merge.survivorID.uuidString, survivor: survivor.name,
                absorbed: absorbed.name, time: dates.format(merge.createdAt), undone: merge.undoneAt != nil)
        }
        return try await request.renderPage(
            "people/duplicates", title: "Duplicates",
            DuplicatesPage(pairs: pairs, merges: merges, notice: notice, error: error),
            status: status)
    }

    private func side(_ person: Person, _ scope: PeopleScope) async throws -> Side {
        Side(
            id: try person.requireID().uuidString, name: person.name, company: person.company, title: person.title,
            identities: try await scope.identities(of: person).map(\.value), source: person.nameSource)
    }

    @Sendable
    func merge(request: Request) async throws -> Response {
        try await review(request) { scope, form in
            _ = try await scope.merge(
                form.absorbedId.flatMap(UUID.init(uuidString:)), into: form.survivorId.flatMap(UUID.init(uuidString:)))
            return .merged
        }
    }

    @Sendable
    func notSame(request: Request) async throws -> Response {
        try await review(request) { scope, form in
            try await scope.markDistinct(
                form.firstId.flatMap(UUID.init(uuidString:)), form.secondId.flatMap(UUID.init(uuidString:)))
            return .notSame
        }
    }

    @Sendable
    func undo(request: Request) async throws -> Response {
        try await review(request) { scope, _ in
            _ = try await scope.undoMerge(request.parameters.get("mergeID", as: UUID.self))
            return .undone
        }
    }

    private func review(_ request: Request, _ body: (PeopleScope, PairForm) async throws -> ReviewNotice) async throws
        -> Response
    {
        let scope = try request.people()
        let form = (try? request.content.decode(PairForm.self)) ?? PairForm()
        return try await request.postRedirectGet(refusedWith: PeopleError.self) {
            ("/duplicates", try await body(scope, form))
        } showRefusal: { error in
            try await renderDuplicates(request, scope, notice: nil, error: error.detail, status: error.status)
        }
    }

    @Sendable
    func groupsPage(request: Request) async throws -> Response {
        let scope = try request.people()
        return try await renderGroups(request, scope, error: nil, status: .ok)
    }

    private func renderGroups(_ request: Request, _ scope: PeopleScope, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let sizes = try await scope.groupSizes()
        let groups = try await scope.groups().map {
            GroupItem(id: try $0.requireID().uuidString, name: $0.name, size: sizes[$0.id ?? UUID()] ?? 0)
        }
        return try await request.renderPage(
            "people/groups", title: "Groups", GroupsPage(groups: groups, error: error), status: status)
    }

    @Sendable
    func createGroup(request: Request) async throws -> Response {
        try await groupChange(request) { scope in
            _ = try await scope.createGroup(name: try request.content.decode(GroupNameForm.self).name ?? "")
        }
    }

    @Sendable
    func renameGroup(request: Request) async throws -> Response {
        try await groupChange(request) { scope in
            _ = try await scope.renameGroup(
                request.parameters.get("groupID", as: UUID.self),
                to: try request.content.decode(GroupNameForm.self).name ?? "")
        }
    }

    @Sendable
    func deleteGroup(request: Request) async throws -> Response {
        try await groupChange(request) { scope in
            try await scope.deleteGroup(request.parameters.get("groupID", as: UUID.self))
        }
    }

    private func groupChange(_ request: Request, _ body: (PeopleScope) async throws -> Void) async throws -> Response {
        let scope = try request.people()
        do {
            try await body(scope)
            return request.seeOther("/groups")
        } catch let error as PeopleError where error != .notFound {
            return try await renderGroups(request, scope, error: error.detail, status: error.status)
        }
    }
}
