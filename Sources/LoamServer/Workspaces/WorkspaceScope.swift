import Fluent
import Foundation
import LoamKit
import Vapor

/// The acting user's workspaces: every lookup checks membership first, so a workspace you are not in
/// answers `notFound` exactly like one that does not exist; a role too low for an action is `forbidden`.
struct WorkspaceScope: Sendable {
    let app: Application
    let actor: User
    let actorID: UUID

    init(app: Application, actor: User) throws {
        self.app = app
        self.actor = actor
        self.actorID = try actor.requireID()
    }

    var db: any Database { app.db }
    var now: Date { app.clock.now() }

    /// The workspace with the actor's membership; `notFound` when they are not a member.
    func workspace(_ id: UUID?, on database: (any Database)? = nil) async throws -> (Workspace, WorkspaceMember) {
        let database = database ?? db
        guard let id,
            let membership = try await WorkspaceMember.query(on: database).filter(\.$workspace.$id == id)
                .filter(\.$user.$id == actorID).first(),
            let workspace = try await Workspace.find(id, on: database)
        else { throw WorkspaceError.notFound }
        return (workspace, membership)
    }

    /// The workspace, when the actor's role is at least `role`.
    func workspace(_ id: UUID?, requiring role: WorkspaceRole) async throws -> (Workspace, WorkspaceMember) {
        let (workspace, membership) = try await workspace(id)
        guard membership.workspaceRole >= role else { throw WorkspaceError.forbidden }
        return (workspace, membership)
    }

    func workspaces() async throws -> [(Workspace, WorkspaceRole)] {
        let memberships = try await WorkspaceMember.query(on: db).filter(\.$user.$id == actorID).all()
        let workspaces = try await Workspace.query(on: db).filter(\.$id ~~ memberships.map(\.$workspace.id)).sort(
            \.$name
        ).all()
        let roles = Dictionary(
            memberships.map { ($0.$workspace.id, $0.workspaceRole) }, uniquingKeysWith: { first, _ in first })
        return workspaces.compactMap { workspace in workspace.id.flatMap { roles[$0] }.map { (workspace, $0) } }
    }

    /// Creates a workspace with the actor as its owner and gives it its own data key.
    func create(name: String) async throws -> Workspace {
        let name = try Self.validName(name)
        let actorID = self.actorID
        let keyring = app.keyring
        let workspace = Workspace(id: UUID(), name: name)
        try await db.writeTransaction { tx in
            try await workspace.create(on: tx)
            try await WorkspaceMember(workspaceID: try workspace.requireID(), userID: actorID, role: .owner).create(
                on: tx)
            // Created now, in the same transaction, so the key exists before anything is shared.
            _ = try await keyring.fieldCipher(for: Self.keyOwner(try workspace.requireID()), on: tx)
        }
        return workspace
    }

    func rename(_ id: UUID?, to name: String) async throws -> Workspace {
        let (workspace, _) = try await workspace(id, requiring: .admin)
        workspace.name = try Self.validName(name)
        try await db.writeTransaction { tx in try await workspace.save(on: tx) }
        return workspace
    }

    /// Deletes the workspace, its memberships and invitations, and destroys its data key.
    func delete(_ id: UUID?) async throws {
        let (workspace, _) = try await workspace(id, requiring: .owner)
        let keyring = app.keyring
        let owner = Self.keyOwner(try workspace.requireID())
        try await db.writeTransaction { tx in try await workspace.delete(on: tx) }
        try await keyring.destroyKey(for: owner, on: db)
    }

    // MARK: Members

    func members(of id: UUID?) async throws -> [(WorkspaceMember, User)] {
        let (workspace, _) = try await workspace(id)
        let members = try await WorkspaceMember.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
            .all()
        let users = Dictionary(
            try await User.query(on: db).filter(\.$id ~~ members.map(\.$user.id)).all().map {
                (try $0.requireID(), $0)
            },
            uniquingKeysWith: { first, _ in first })
        return members.compactMap { member in users[member.$user.id].map { (member, $0) } }
            .sorted { ($0.0.workspaceRole, $1.1.name) > ($1.0.workspaceRole, $0.1.name) }
    }

    /// Changes a member's role (never to or from owner: that is a transfer).
    func changeRole(in id: UUID?, of userID: UUID?, to rawRole: String) async throws -> WorkspaceMember {
        let (workspace, _) = try await workspace(id, requiring: .admin)
        guard let role = WorkspaceRole(rawValue: rawRole), role != .owner else { throw WorkspaceError.invalidRole }
        let member = try await member(of: workspace, userID)
        guard member.workspaceRole != .owner else { throw WorkspaceError.lastOwner }
        member.role = role.rawValue
        try await db.writeTransaction { tx in try await member.save(on: tx) }
        return member
    }

    /// Removes a member; removing yourself is leaving. The owner cannot leave or be removed.
    func remove(from id: UUID?, _ userID: UUID?) async throws {
        let (workspace, membership) = try await workspace(id)
        let member = try await member(of: workspace, userID)
        if member.$user.id != actorID {
            guard membership.workspaceRole.canManageMembers else { throw WorkspaceError.forbidden }
        }
        guard member.workspaceRole != .owner else { throw WorkspaceError.lastOwner }
        let workspaceID = try workspace.requireID()
        let userID = member.$user.id
        try await db.writeTransaction { tx in
            try await member.delete(on: tx)
            // Their people leave with them.
            try await SharedGroup.query(on: tx).filter(\.$workspace.$id == workspaceID).filter(\.$sharedBy == userID)
                .delete()
        }
    }

    /// Makes another member the owner; the old owner becomes an admin. There is always exactly one owner.
    func transfer(_ id: UUID?, to userID: UUID?) async throws {
        let (workspace, membership) = try await workspace(id, requiring: .owner)
        let member = try await member(of: workspace, userID)
        guard member.$user.id != actorID else { return }
        try await db.writeTransaction { tx in
            member.role = WorkspaceRole.owner.rawValue
            try await member.save(on: tx)
            membership.role = WorkspaceRole.admin.rawValue
            try await membership.save(on: tx)
        }
    }

    private func member(of workspace: Workspace, _ userID: UUID?) async throws -> WorkspaceMember {
        guard let userID,
            let member = try await WorkspaceMember.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
                .filter(\.$user.$id == userID).first()
        else { throw WorkspaceError.notFound }
        return member
    }

    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100, !name.contains(where: \.isNewline) else {
            throw WorkspaceError.invalidName
        }
        return name
    }
}

extension Request {
    /// The signed-in user's workspaces; 401 without one.
    func workspaces() throws -> WorkspaceScope {
        try WorkspaceScope(app: application, actor: try requireAuthenticated().user)
    }
}
