import Fluent
import Foundation
import Vapor

/// `/api/v1/workspaces`: workspaces, members and roles, and invitations (`…/invitations`), and
/// `POST /api/v1/invitations/{token}/accept` for API clients. A workspace you are not in answers 404.
struct WorkspacesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let workspaces = routes.grouped("api", "v1", "workspaces")
        workspaces.get(use: list)
        workspaces.post(use: create)
        workspaces.get(":workspaceID", use: show)
        workspaces.patch(":workspaceID", use: rename)
        workspaces.delete(":workspaceID", use: delete)
        workspaces.get(":workspaceID", "members", use: members)
        workspaces.patch(":workspaceID", "members", ":userID", use: changeRole)
        workspaces.delete(":workspaceID", "members", ":userID", use: removeMember)
        workspaces.post(":workspaceID", "transfer", use: transfer)
        workspaces.get(":workspaceID", "invitations", use: invitations)
        workspaces.post(":workspaceID", "invitations", use: invite)
        workspaces.post(":workspaceID", "invitations", ":invitationID", "resend", use: resend)
        workspaces.post(":workspaceID", "invitations", ":invitationID", "revoke", use: revoke)
        routes.post("api", "v1", "invitations", ":token", "accept", use: accept)
    }

    @Sendable
    func list(request: Request) async throws -> Page<WorkspaceDTO.Workspace> {
        let workspaces = try await request.workspaces().workspaces()
        return Page(items: try workspaces.map { try WorkspaceDTO.Workspace($0.0, role: $0.1) }, nextCursor: nil)
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let body = try request.content.decode(WorkspaceDTO.Create.self)
        let workspace = try await scope.create(name: body.name)
        return try await WorkspaceDTO.Workspace(workspace, role: .owner).encodeResponse(status: .created, for: request)
    }

    @Sendable
    func show(request: Request) async throws -> WorkspaceDTO.Workspace {
        let (workspace, membership) = try await request.workspaces().workspace(
            request.parameters.get("workspaceID", as: UUID.self))
        return try WorkspaceDTO.Workspace(workspace, role: membership.workspaceRole)
    }

    @Sendable
    func rename(request: Request) async throws -> WorkspaceDTO.Workspace {
        let scope = try request.workspaces()
        let (_, membership) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let body = try request.content.decode(WorkspaceDTO.Create.self)
        return try WorkspaceDTO.Workspace(
            try await scope.rename(membership.$workspace.id, to: body.name), role: membership.workspaceRole)
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try await request.workspaces().delete(request.parameters.get("workspaceID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func members(request: Request) async throws -> Page<WorkspaceDTO.Member> {
        let members = try await request.workspaces().members(of: request.parameters.get("workspaceID", as: UUID.self))
        return Page(
            items: members.map {
                WorkspaceDTO.Member(
                    userId: $0.0.$user.id, name: $0.1.name, email: $0.1.email, role: $0.0.role, joinedAt: $0.0.createdAt
                )
            }, nextCursor: nil)
    }

    @Sendable
    func changeRole(request: Request) async throws -> HTTPStatus {
        let scope = try request.workspaces()
        let (_, membership) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let body = try request.content.decode(WorkspaceDTO.RoleChange.self)
        _ = try await scope.changeRole(
            in: membership.$workspace.id, of: request.parameters.get("userID", as: UUID.self), to: body.role)
        return .noContent
    }

    /// Removes a member; your own id leaves the workspace.
    @Sendable
    func removeMember(request: Request) async throws -> HTTPStatus {
        try await request.workspaces().remove(
            from: request.parameters.get("workspaceID", as: UUID.self), request.parameters.get("userID", as: UUID.self))
        return .noContent
    }

    @Sendable
    func transfer(request: Request) async throws -> HTTPStatus {
        let scope = try request.workspaces()
        let (_, membership) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let body = try request.content.decode(WorkspaceDTO.Transfer.self)
        try await scope.transfer(membership.$workspace.id, to: body.userId)
        return .noContent
    }

    @Sendable
    func invitations(request: Request) async throws -> Page<WorkspaceDTO.Invitation> {
        let scope = try request.workspaces()
        let service = request.application.invitations
        var items: [WorkspaceDTO.Invitation] = []
        for (invitation, state, inviter) in try await service.invitations(
            scope, workspaceID: request.parameters.get("workspaceID", as: UUID.self))
        {
            items.append(try await service.dto(invitation, state: state, inviter: inviter))
        }
        return Page(items: items, nextCursor: nil)
    }

    /// 201 with the invitation; its mail is queued in the same transaction and leaves within seconds.
    @Sendable
    func invite(request: Request) async throws -> Response {
        let scope = try request.workspaces()
        let (_, membership) = try await scope.workspace(request.parameters.get("workspaceID", as: UUID.self))
        let body = try request.content.decode(WorkspaceDTO.Invite.self)
        let service = request.application.invitations
        let invitation = try await service.invite(
            scope, to: membership.$workspace.id, email: body.email, role: body.role)
        return try await service.dto(invitation, state: try await service.state(of: invitation), inviter: scope.actor)
            .encodeResponse(status: .created, for: request)
    }

    @Sendable
    func resend(request: Request) async throws -> WorkspaceDTO.Invitation {
        let scope = try request.workspaces()
        let service = request.application.invitations
        let invitation = try await service.resend(
            scope, workspaceID: request.parameters.get("workspaceID", as: UUID.self),
            invitationID: request.parameters.get("invitationID", as: UUID.self))
        return try await service.dto(invitation, state: try await service.state(of: invitation), inviter: nil)
    }

    @Sendable
    func revoke(request: Request) async throws -> WorkspaceDTO.Invitation {
        let scope = try request.workspaces()
        let service = request.application.invitations
        let invitation = try await service.revoke(
            scope, workspaceID: request.parameters.get("workspaceID", as: UUID.self),
            invitationID: request.parameters.get("invitationID", as: UUID.self))
        return try await service.dto(invitation, state: .revoked, inviter: nil)
    }

    /// Joins with a bearer token; 404 for a link that is not an invitation, 409 when it is no longer open
    /// or is for another address.
    @Sendable
    func accept(request: Request) async throws -> WorkspaceDTO.Workspace {
        let user = try request.requireAuthenticated().user
        let service = request.application.invitations
        guard let opened = try await service.open(token: request.parameters.get("token") ?? "") else {
            throw WorkspaceError.notFound
        }
        do {
            try await service.accept(opened, as: user)
        } catch InvitationError.otherAddress {
            throw WorkspaceError.invitationForOtherAddress
        } catch is InvitationError {
            throw WorkspaceError.invitationNotPending
        }
        return try WorkspaceDTO.Workspace(opened.workspace, role: opened.invitation.workspaceRole)
    }
}

extension WorkspaceDTO.Workspace {
    init(_ workspace: Workspace, role: WorkspaceRole) throws {
        self.init(
            id: try workspace.requireID(), name: workspace.name, role: role.rawValue, createdAt: workspace.createdAt)
    }
}

extension InvitationService {
    func dto(_ invitation: Invitation, state: InvitationState, inviter: User?) async throws -> WorkspaceDTO.Invitation {
        WorkspaceDTO.Invitation(
            id: try invitation.requireID(), email: invitation.email, role: invitation.role, state: state.rawValue,
            expiresAt: invitation.expiresAt, link: try await link(for: invitation), invitedBy: inviter?.name,
            sendCount: invitation.sendCount, createdAt: invitation.createdAt, acceptedAt: invitation.acceptedAt,
            revokedAt: invitation.revokedAt)
    }
}
