import Fluent
import Foundation
import LoamKit
import Vapor

/// Where an invitation stands, as the inviter sees it.
enum InvitationState: String, Codable, Sendable {
    case queued, sent, failed, accepted, expired, revoked
}

/// An invitation found by its link: what the invitation page shows.
struct OpenedInvitation: Sendable {
    var invitation: Invitation
    var workspace: Workspace
    var inviter: User
    var state: InvitationState
    /// The link came from the invitation mail (it carries the proof the inviter never sees): whoever
    /// opened it reads the invited mailbox.
    var mailboxProven = false
}

/// Invitations: sending (in the transaction that creates them), resending with the same link, revoking,
/// and what a link opens. Link secrets are derived (`LinkSecret`), never stored.
struct InvitationService: Sendable {
    let app: Application

    static let lifetime: TimeInterval = 7 * 24 * 3600
    static let resendRequestInterval: TimeInterval = 3600
    static let linkPurpose = "invitation"
    /// The mail's link adds a second secret under this purpose: proof of the mailbox, never shown to the inviter.
    static let proofPurpose = "invitation-mailbox"
    static let keyOwner = OwnerID.system("invitations")

    var db: any Database { app.db }
    var now: Date { app.clock.now() }

    // MARK: Inviting

    /// Invites `rawEmail`; a pending invitation for the same address is sent again instead of doubled.
    func invite(_ scope: WorkspaceScope, to workspaceID: UUID?, email rawEmail: String, role rawRole: String?)
        async throws
        -> Invitation
    {
        let (workspace, _) = try await scope.workspace(workspaceID, requiring: .admin)
        guard scope.actor.isVerified else { throw WorkspaceError.emailUnverified }
        let email = User.normalize(email: rawEmail)
        guard (try? MailAddress(email)) != nil else { throw WorkspaceError.invalidEmail }
        guard let role = WorkspaceRole(rawValue: rawRole ?? "member"), role != .owner else {
            throw WorkspaceError.invalidRole
        }
        let workspaceID = try workspace.requireID()
        if let user = try await User.query(on: db).filter(\.$email == email).first(),
            try await WorkspaceMember.query(on: db).filter(\.$workspace.$id == workspaceID).filter(
                \.$user.$id == (try user.requireID())
            )
            .first() != nil
        {
            throw WorkspaceError.alreadyMember
        }
        if let pending = try await Invitation.query(on: db).filter(\.$workspace.$id == workspaceID).filter(
            \.$email == email
        )
        .filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil).first() {
            pending.role = role.rawValue
            return try await resend(scope, pending, workspace: workspace)
        }
        let invitation = Invitation(
            id: UUID(), workspaceID: workspaceID, inviterID: scope.actorID, email: email, role: role,
            nonce: SecureToken.generate().token, expiresAt: now.addingTimeInterval(Self.lifetime))
        try await db.writeTransaction { tx in
            try await self.checkLimits(workspaceID: workspaceID, inviterID: scope.actorID, on: tx)
            try await invitation.create(on: tx)
            try await self.send(invitation, workspace: workspace, inviter: scope.actor, on: tx)
        }
        return invitation
    }

    /// Sends the invitation again with the same link, valid 7 days from now.
    func resend(_ scope: WorkspaceScope, workspaceID: UUID?, invitationID: UUID?) async throws -> Invitation {
        let (workspace, _) = try await scope.workspace(workspaceID, requiring: .admin)
        return try await resend(scope, try await invitation(invitationID, in: workspace), workspace: workspace)
    }

    private func resend(_ scope: WorkspaceScope, _ invitation: Invitation, workspace: Workspace) async throws
        -> Invitation
    {
        guard scope.actor.isVerified else { throw WorkspaceError.emailUnverified }
        guard invitation.acceptedAt == nil, invitation.revokedAt == nil else {
            throw WorkspaceError.invitationNotPending
        }
        invitation.expiresAt = now.addingTimeInterval(Self.lifetime)
        let workspaceID = try workspace.requireID()
        try await db.writeTransaction { tx in
            try await self.checkLimits(workspaceID: workspaceID, inviterID: scope.actorID, on: tx)
            try await self.send(invitation, workspace: workspace, inviter: scope.actor, on: tx)
        }
        return invitation
    }

    func revoke(_ scope: WorkspaceScope, workspaceID: UUID?, invitationID: UUID?) async throws -> Invitation {
        let (workspace, _) = try await scope.workspace(workspaceID, requiring: .admin)
        let invitation = try await invitation(invitationID, in: workspace)
        guard invitation.acceptedAt == nil else { throw WorkspaceError.invitationNotPending }
        if invitation.revokedAt == nil {
            invitation.revokedAt = now
            try await db.writeTransaction { tx in try await invitation.save(on: tx) }
        }
        return invitation
    }

    /// The workspace's invitations, newest first, for its admins.
    func invitations(_ scope: WorkspaceScope, workspaceID: UUID?) async throws -> [(Invitation, InvitationState, User?)]
    {
        let (workspace, _) = try await scope.workspace(workspaceID, requiring: .admin)
        let invitations = try await Invitation.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
            .sort(\.$createdAt, .descending).sort(\.$id).all()
        let inviters = Dictionary(
            try await User.query(on: db).filter(\.$id ~~ invitations.map(\.$inviter.id)).all().map {
                (try $0.requireID(), $0)
            },
            uniquingKeysWith: { first, _ in first })
        var result: [(Invitation, InvitationState, User?)] = []
        for invitation in invitations {
            result.append((invitation, try await state(of: invitation), inviters[invitation.$inviter.id]))
        }
        return result
    }

    func invitation(_ id: UUID?, in workspace: Workspace) async throws -> Invitation {
        guard let id,
            let invitation = try await Invitation.query(on: db).filter(\.$id == id).filter(
                \.$workspace.$id == (try workspace.requireID())
            )
            .first()
        else { throw WorkspaceError.notFound }
        return invitation
    }

    func state(of invitation: Invitation) async throws -> InvitationState {
        if invitation.acceptedAt != nil { return .accepted }
        if invitation.revokedAt != nil { return .revoked }
        if invitation.expiresAt <= now { return .expired }
        guard let mailID = invitation.mailID, let mail = try await app.mailer.state(of: mailID, on: db) else {
            return .queued
        }
        switch mail {
        case .sent: return .sent
        case .failed: return .failed
        default: return .queued
        }
    }

    /// The link that opens the invitation: the same for its whole life, so a copy or a resend keeps working.
    /// This is the copyable link the inviter sees; it lets the invitee join but proves no mailbox.
    func link(for invitation: Invitation, on database: (any Database)? = nil) async throws -> String {
        try await links(for: invitation, on: database).copyable
    }

    /// The link only the invitation mail carries: the copyable link plus a proof of the mailbox.
    func mailLink(for invitation: Invitation, on database: (any Database)? = nil) async throws -> String {
        try await links(for: invitation, on: database).mailed
    }

    private func links(for invitation: Invitation, on database: (any Database)?) async throws -> (
        copyable: String, mailed: String
    ) {
        let id = try invitation.requireID().uuidString.lowercased()
        // Inside a transaction the key must come through it: a first use creates the key, and on SQLite a
        // second writer would wait for the transaction that is waiting for it.
        let secrets = try await app.keyring.linkSecret(for: Self.keyOwner, on: database ?? db)
        let secret = secrets.secret(purpose: Self.linkPurpose, id: id, nonce: invitation.nonce)
        let proof = secrets.secret(purpose: Self.proofPurpose, id: id, nonce: invitation.nonce)
        let copyable = app.loamConfiguration.baseURL.appendingPathComponent("invitations").appendingPathComponent(
            "\(id).\(secret)"
        )
        .absoluteString
        return (copyable, copyable + "." + proof)
    }

    // MARK: Opening a link

    /// The invitation a link names, whatever its state; `nil` for a link that is not one of ours (a wrong
    /// proof included).
    func open(token: String) async throws -> OpenedInvitation? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, let id = UUID(uuidString: parts[0]),
            let invitation = try await Invitation.find(id, on: db)
        else { return nil }
        let secrets = try await app.keyring.linkSecret(for: Self.keyOwner, on: db)
        let lowerID = id.uuidString.lowercased()
        guard secrets.matches(parts[1], purpose: Self.linkPurpose, id: lowerID, nonce: invitation.nonce) else {
            return nil
        }
        if parts.count == 3,
            !secrets.matches(parts[2], purpose: Self.proofPurpose, id: lowerID, nonce: invitation.nonce)
        {
            return nil
        }
        guard let workspace = try await Workspace.find(invitation.$workspace.id, on: db),
            let inviter = try await User.find(invitation.$inviter.id, on: db)
        else { return nil }
        return OpenedInvitation(
            invitation: invitation, workspace: workspace, inviter: inviter, state: try await state(of: invitation),
            mailboxProven: parts.count == 3)
    }

    /// Someone holding only the copyable link asked to create an account for an address that has one: the
    /// address's owner gets the mail's link again (within the account-mail limit), and the page says a mail went.
    func mailExistingInvitee(_ opened: OpenedInvitation, context: ClientContext) async throws {
        let invitation = opened.invitation
        let link = try await mailLink(for: invitation)
        try await db.writeTransaction { tx in
            try await app.accounts.limitAccountMail(to: invitation.email, context: context, on: tx)
            try await app.mailer.enqueue(
                MailDraft(
                    to: [try MailAddress(invitation.email)],
                    subject: "Your invitation to \(MailText.headerName(opened.workspace.name)) on Loam",
                    body: """
                        Hello,

                        someone asked to join the workspace \(MailText.name(opened.workspace.name)) on Loam with this address, which already has a Loam account. To join, open this link and sign in with that account:

                        \(link)

                        If this was not you, ignore this mail: nothing was changed.
                        """, category: "invitation"), on: tx)
        }
    }

    /// Joins `user` to the workspace when the invitation is live and for their address; single-use.
    func accept(_ opened: OpenedInvitation, as user: User) async throws {
        let invitation = opened.invitation
        guard invitation.acceptedAt == nil, invitation.revokedAt == nil, invitation.expiresAt > now else {
            throw InvitationError.notOpen(opened.state)
        }
        guard User.normalize(email: user.email) == invitation.email else { throw InvitationError.otherAddress }
        let userID = try user.requireID()
        let workspaceID = invitation.$workspace.id
        let now = self.now
        let invitationID = try invitation.requireID()
        try await db.writeTransaction { tx in
            // Claimed with a conditional update, so two tabs accepting at once join once.
            try await Invitation.query(on: tx).filter(\.$id == invitationID).filter(\.$acceptedAt == nil)
                .filter(\.$revokedAt == nil).set(\.$acceptedAt, to: now).set(\.$acceptedBy, to: userID).update()
            guard let fresh = try await Invitation.find(invitationID, on: tx), fresh.acceptedBy == userID else {
                throw InvitationError.notOpen(.accepted)
            }
            if try await WorkspaceMember.query(on: tx).filter(\.$workspace.$id == workspaceID).filter(
                \.$user.$id == userID
            ).first() == nil {
                try await WorkspaceMember(workspaceID: workspaceID, userID: userID, role: invitation.workspaceRole)
                    .create(on: tx)
            }
        }
    }

    /// The mail's link used by the owner of an account nobody had proven: the mailbox is proven now, so every
    /// way in from before goes, the password chosen here becomes the way in, and the account joins.
    func proveAndJoin(_ opened: OpenedInvitation, user: User, password: String, name: String, context: ClientContext)
        async throws -> SessionToken
    {
        let accounts = app.accounts
        let hash = try await accounts.hashIfAcceptable(password, for: user)
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let session = try await db.writeTransaction { tx in
            guard let fresh = try await User.find(try user.requireID(), on: tx), !fresh.isVerified else {
                throw AccountError.linkInvalid
            }
            if !trimmedName.isEmpty, let valid = try? AccountService.validName(trimmedName) { fresh.name = valid }
            try await accounts.setPasswordFromMailbox(fresh, hash: hash, context, on: tx)
            try await accounts.audit(fresh, .signedIn, context, on: tx)
            return try await app.sessionStore.create(for: fresh, context: context, on: tx)
        }
        if let fresh = try await User.find(try user.requireID(), on: db) { try await accept(opened, as: fresh) }
        return session
    }

    /// The invitee asks the inviter for a new invitation: a mail to the inviter, at most once an hour.
    func requestResend(_ opened: OpenedInvitation) async throws {
        let invitation = opened.invitation
        if let last = invitation.resendRequestedAt, now.timeIntervalSince(last) < Self.resendRequestInterval {
            throw InvitationError.resendRequestedRecently
        }
        invitation.resendRequestedAt = now
        let inviter = opened.inviter
        let workspace = opened.workspace
        let manage = app.loamConfiguration.baseURL.appendingPathComponent("workspaces")
            .appendingPathComponent(try workspace.requireID().uuidString).absoluteString
        try await db.writeTransaction { tx in
            try await invitation.save(on: tx)
            try await app.mailer.enqueue(
                MailDraft(
                    to: [try MailAddress(inviter.email, name: MailText.headerName(inviter.name))],
                    subject: "\(invitation.email) asks for a new invitation to \(MailText.headerName(workspace.name))",
                    body: """
                        Hello \(MailText.name(inviter.name)),

                        \(invitation.email) opened your invitation to \(MailText.name(workspace.name)), but it is \(opened.state.rawValue) and asks you to send a new one.

                        You can resend or invite again from the workspace page:

                        \(manage)

                        If you do not know this request, ignore this mail.
                        """, category: "invitation-resend-request"), on: tx)
        }
    }

    // MARK: Sending

    private func send(_ invitation: Invitation, workspace: Workspace, inviter: User, on tx: any Database) async throws {
        let link = try await mailLink(for: invitation, on: tx)
        let until = Self.format(invitation.expiresAt)
        let mailID = try await app.mailer.enqueue(
            MailDraft(
                to: [try MailAddress(invitation.email)],
                subject:
                    "\(MailText.headerName(inviter.name)) invited you to \(MailText.headerName(workspace.name)) on Loam",
                body: """
                    Hello,

                    \(MailText.name(inviter.name)) (\(inviter.email)) invited you to join the workspace \(MailText.name(workspace.name)) on Loam.

                    Open this link to join, with the account for this address or a new one:

                    \(link)

                    The link works until \(until) (7 days). It is yours alone: it also confirms that you read this mailbox. If a Loam account for this address was started but never confirmed, opening the link confirms it and removes every way to sign in that was added to it before. If you did not expect this invitation, ignore this mail.
                    """, category: "invitation"), on: tx)
        invitation.mailID = mailID
        invitation.sendCount += 1
        try await invitation.save(on: tx)
        try await InvitationSend(
            workspaceID: invitation.$workspace.id, inviterID: invitation.$inviter.id,
            invitationID: try invitation.requireID(), sentAt: now
        ).create(on: tx)
    }

    /// The configured limits on invitation mails per workspace and per inviter, over the last hour, through
    /// the limiter every mail goes through (atomic, so parallel invitations cannot pass it).
    private func checkLimits(workspaceID: UUID, inviterID: UUID, on tx: any Database) async throws {
        let configuration = app.loamConfiguration
        let limiter = app.rateLimiter
        let byWorkspace = RateLimit(count: configuration.invitationsPerWorkspacePerHour, period: 3600)
        let byInviter = RateLimit(count: configuration.invitationsPerInviterPerHour, period: 3600)
        if let wait = try await limiter.attempt("invitations-workspace:\(workspaceID)", limits: [byWorkspace], on: tx) {
            throw WorkspaceError.tooManyInvitations(retryAfter: Int(wait))
        }
        if let wait = try await limiter.attempt("invitations-inviter:\(inviterID)", limits: [byInviter], on: tx) {
            throw WorkspaceError.tooManyInvitations(retryAfter: Int(wait))
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}

/// What opening an invitation can meet; the page says each in its own words (never "session expired").
enum InvitationError: Error, Equatable {
    case notOpen(InvitationState)
    case otherAddress
    case resendRequestedRecently
}

extension Application {
    var invitations: InvitationService { InvitationService(app: self) }
}
