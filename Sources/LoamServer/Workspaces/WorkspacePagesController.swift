import Fluent
import Foundation
import Vapor

/// `/workspaces` and `/workspaces/{id}`: create, rename, delete; members and roles; invitations with their
/// states, and invite, resend, copy and revoke. Plain forms; every POST redirects.
struct WorkspacePagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let workspaces = routes.grouped("workspaces").signedInPages(landing: "/workspaces")
        workspaces.get(use: listPage)
        workspaces.post(use: create)
        workspaces.get(":workspaceID", use: workspacePage)
        workspaces.post(":workspaceID", "rename", use: rename)
        workspaces.post(":workspaceID", "delete", use: delete)
        workspaces.post(":workspaceID", "invitations", use: invite)
        workspaces.post(":workspaceID", "invitations", ":invitationID", "resend", use: resend)
        workspaces.post(":workspaceID", "invitations", ":invitationID", "revoke", use: revoke)
        workspaces.post(":workspaceID", "members", ":userID", "role", use: changeRole)
        workspaces.post(":workspaceID", "members", ":userID", "remove", use: removeMember)
        workspaces.post(":workspaceID", "transfer", use: transfer)
        workspaces.post(":workspaceID", "groups", use: shareGroup)
        workspaces.post(":workspaceID", "groups", ":groupID", "unshare", use: unshareGroup)
        workspaces.get(":workspaceID", "people", ":personID", use: sharedPersonPage)
        workspaces.post(":workspaceID", "people", ":personID", "notes", use: addSharedNote)
    }

    struct ListPage: Encodable {
        var workspaces: [Item]
        var error: String?
    }

    struct Item: Encodable {
        var id: String
        var name: String
        var role: String
    }

    struct WorkspacePage: Encodable {
        var id: String
        var name: String
        var role: String
        var canManage: Bool
        var isOwner: Bool
        var viewerID: String
        var members: [MemberItem]
        var invitations: [InvitationItem]
        var people: [SharedPersonItem]
        var sharedGroups: [SharedGroupItem]
        /// The viewer's own groups not shared yet, for the share form.
        var shareable: [Item]
        var notice: String?
        var error: String?
    }

    struct SharedPersonItem: Encodable {
        var id: String
        var name: String
        var company: String?
        var title: String?
        var sharedBy: String
    }

    struct SharedGroupItem: Encodable {
        var id: String
        var name: String
        var sharedBy: String
        var canUnshare: Bool
    }

    struct SharedPersonPage: Encodable {
        var workspaceID: String
        var workspace: String
        var person: SharedPersonItem
        var notes: [NoteItem]
        var error: String?
    }

    struct NoteItem: Encodable {
        var author: String
        var time: String
        var body: String
    }

    struct ShareForm: Content {
        var groupId: String?

        enum CodingKeys: String, CodingKey {
            case groupId = "group_id"
        }
    }

    struct NoteForm: Content {
        var body: String?
    }

    struct MemberItem: Encodable {
        var userID: String
        var name: String
        var email: String
        var role: String
        var isOwner: Bool
        var isViewer: Bool
    }

    struct InvitationItem: Encodable {
        var id: String
        var email: String
        var role: String
        var state: String
        var expires: String
        var link: String
        var pending: Bool
    }

    struct NameForm: Content {
        var name: String?
    }

    struct InviteForm: Content {
        var email: String?
        var role: String?
    }

    struct RoleForm: Content {
        var role: String?
    }

    struct TransferForm: Content {
        var userId: String?

        enum CodingKeys: String, CodingKey {
            case userId = "user_id"
        }
    }

    enum Notice: String, PageNotice {
        case joined = "joined"
        case invited = "invited"
        case resent = "resent"
        case revoked = "revoked"
        case saved = "saved"
        case shared = "shared"
        case unshared = "unshared"

        var text: String {
            switch self {
            case .joined: "Welcome: you are a member of this workspace now."
            case .invited: "Invitation sent. The mail leaves within seconds; its state shows below."
            case .resent: "Sent again, with the same link, valid 7 more days."
            case .revoked: "Invitation withdrawn: its link no longer works."
            case .saved: "Saved."
            case .shared: "Shared: the group's people are visible to the members, without their contact details."
            case .unshared: "No longer shared."
            }
        }
    }

    @Sendable
    func listPage(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        return try await renderList(request, scope, error: nil, status: .ok)
    }

    private func renderList(_ request: Request, _ scope: WorkspaceScope, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let items = try await scope.workspaces().map {
            Item(id: try $0.0.requireID().uuidString, name: $0.0.name, role: $0.1.rawValue)
        }
        return try await request.renderPage(
            "workspaces/list", title: "Workspaces", ListPage(workspaces: items, error: error), status: status)
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        do {
            let workspace = try await scope.create(name: try request.content.decode(NameForm.self).name ?? "")
            return request.seeOther("/workspaces/\(try workspace.requireID())")
        } catch let error as WorkspaceError {
            return try await renderList(request, scope, error: error.detail, status: error.status)
        }
    }

    @Sendable
    func workspacePage(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let notice = request.notice(Notice.self)
        return try await renderWorkspace(request, scope, notice: notice, error: nil, status: .ok)
    }

    private func renderWorkspace(
        _ request: Request, _ scope: WorkspaceScope, notice: String?, error: String?, status: HTTPResponseStatus
    )
        async throws -> Response
    {
        let (workspace, membership) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let role = membership.workspaceRole
        let members = try await scope.members(of: try workspace.requireID()).map { member, user in
            MemberItem(
                userID: member.$user.id.uuidString, name: user.name, email: user.email, role: member.role,
                isOwner: member.workspaceRole == .owner, isViewer: member.$user.id == scope.actorID)
        }
        var invitations: [InvitationItem] = []
        if role.canManageMembers {
            let service = request.application.invitations
            for (invitation, state, _) in try await service.invitations(scope, workspaceID: try workspace.requireID()) {
                invitations.append(
                    InvitationItem(
                        id: try invitation.requireID().uuidString, email: invitation.email, role: invitation.role,
                        state: state.rawValue,
                        expires: InvitationService.format(invitation.expiresAt),
                        link: try await service.link(for: invitation),
                        pending: invitation.acceptedAt == nil && invitation.revokedAt == nil))
            }
        }
        let sharedGroups = try await scope.sharedGroups(of: try workspace.requireID())
        let sharedIDs = Set(sharedGroups.compactMap(\.1.id))
        let shareable = try await request.application.people(for: scope.actor).groups()
            .filter { !sharedIDs.contains($0.id ?? UUID()) }.map {
                Item(id: try $0.requireID().uuidString, name: $0.name, role: "")
            }
        let page = WorkspacePage(
            id: try workspace.requireID().uuidString, name: workspace.name, role: role.rawValue,
            canManage: role.canManageMembers,
            isOwner: role == .owner, viewerID: scope.actorID.uuidString, members: members, invitations: invitations,
            people: try await scope.sharedPeople(of: try workspace.requireID()).map(SharedPersonItem.init),
            sharedGroups: try sharedGroups.map { shared, group, sharer in
                SharedGroupItem(
                    id: try group.requireID().uuidString, name: group.name, sharedBy: sharer.name,
                    canUnshare: shared.sharedBy == scope.actorID || role.canManageMembers)
            },
            shareable: shareable, notice: notice, error: error)
        return try await request.renderPage("workspaces/show", title: workspace.name, page, status: status)
    }

    @Sendable
    func rename(request: Request) async throws -> Response {
        try await change(request, notice: .saved) { scope, id in
            _ = try await scope.rename(id, to: try request.content.decode(NameForm.self).name ?? "")
        }
    }

    @Sendable
    func delete(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        try await scope.delete(request.parameters.get("workspaceID", as: UUID.self))
        return request.seeOther("/workspaces")
    }

    @Sendable
    func invite(request: Request) async throws -> Response {
        try await change(request, notice: .invited) { scope, id in
            let form = try request.content.decode(InviteForm.self)
            _ = try await request.application.invitations.invite(
                scope, to: id, email: form.email ?? "", role: form.role)
        }
    }

    @Sendable
    func resend(request: Request) async throws -> Response {
        try await change(request, notice: .resent) { scope, id in
            _ = try await request.application.invitations.resend(
                scope, workspaceID: id, invitationID: request.parameters.get("invitationID", as: UUID.self))
        }
    }

    @Sendable
    func revoke(request: Request) async throws -> Response {
        try await change(request, notice: .revoked) { scope, id in
            _ = try await request.application.invitations.revoke(
                scope, workspaceID: id, invitationID: request.parameters.get("invitationID", as: UUID.self))
        }
    }

    @Sendable
    func changeRole(request: Request) async throws -> Response {
        try await change(request, notice: .saved) { scope, id in
            _ = try await scope.changeRole(
                in: id, of: request.parameters.get("userID", as: UUID.self),
                to: try request.content.decode(RoleForm.self).role ?? "")
        }
    }

    /// Removing a member; removing yourself is leaving, after which the workspace is no longer yours to see.
    @Sendable
    func removeMember(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let leaving = request.parameters.get("userID", as: UUID.self) == scope.actorID
        let response = try await change(request, notice: .saved) { scope, id in
            try await scope.remove(from: id, request.parameters.get("userID", as: UUID.self))
        }
        return leaving && response.status == .seeOther ? request.seeOther("/workspaces") : response
    }

    @Sendable
    func transfer(request: Request) async throws -> Response {
        try await change(request, notice: .saved) { scope, id in
            try await scope.transfer(
                id, to: try request.content.decode(TransferForm.self).userId.flatMap(UUID.init(uuidString:)))
        }
    }

    @Sendable
    func shareGroup(request: Request) async throws -> Response {
        try await change(request, notice: .shared) { scope, id in
            let groupID = try request.content.decode(ShareForm.self).groupId.flatMap(UUID.init(uuidString:))
            do {
                _ = try await scope.share(group: groupID, into: id)
            } catch PeopleError.notFound {
                throw WorkspaceError.notFound
            }
        }
    }

    @Sendable
    func unshareGroup(request: Request) async throws -> Response {
        try await change(request, notice: .unshared) { scope, id in
            try await scope.unshare(group: request.parameters.get("groupID", as: UUID.self), from: id)
        }
    }

    @Sendable
    func sharedPersonPage(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        return try await renderSharedPerson(request, scope, error: nil, status: .ok)
    }

    private func renderSharedPerson(
        _ request: Request, _ scope: WorkspaceScope, error: String?, status: HTTPResponseStatus
    ) async throws
        -> Response
    {
        let (workspace, _) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let workspaceID = try workspace.requireID()
        let personID = request.parameters.get("personID", as: UUID.self)
        let person = try await scope.sharedPerson(personID, in: workspaceID)
        let dates = PageDates(timeZone: scope.actor.timeZone)
        let notes = try await scope.notes(on: personID, in: workspaceID).map {
            NoteItem(author: $0.author, time: dates.format($0.createdAt), body: $0.body)
        }
        let page = SharedPersonPage(
            workspaceID: workspaceID.uuidString, workspace: workspace.name, person: SharedPersonItem(person),
            notes: notes, error: error)
        return try await request.renderPage("workspaces/person", title: person.name, page, status: status)
    }

    @Sendable
    func addSharedNote(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let workspaceID = request.parameters.get("workspaceID", as: UUID.self)
        let personID = request.parameters.get("personID", as: UUID.self)
        _ = try await scope.sharedPerson(personID, in: workspaceID)
        do {
            _ = try await scope.addNote(
                on: personID, in: workspaceID, body: try request.content.decode(NoteForm.self).body ?? "")
        } catch let error as PeopleError {
            return try await renderSharedPerson(request, scope, error: error.detail, status: error.status)
        }
        return request.seeOther(request.url.path.replacingOccurrences(of: "/notes", with: ""))
    }

    /// Runs one change and returns to the workspace page; a refusal shows the page with the reason.
    private func change(_ request: Request, notice: Notice, _ body: (WorkspaceScope, UUID) async throws -> Void)
        async throws -> Response
    {
        let scope = try request.workspaces()
        let (workspace, _) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let id = try workspace.requireID()
        return try await request.postRedirectGet(refusedWith: WorkspaceError.self) {
            try await body(scope, id)
            return ("/workspaces/\(id)", notice)
        } showRefusal: { error in
            try await renderWorkspace(request, scope, notice: nil, error: error.detail, status: error.status)
        }
    }
}

extension WorkspacePagesController.SharedPersonItem {
    init(_ person: SharedPerson) {
        self.init(
            id: person.id.uuidString, name: person.name, company: person.company, title: person.title,
            sharedBy: person.sharedBy)
    }
}
