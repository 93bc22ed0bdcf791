import Fluent
import Vapor

/// Workspaces: teams, their members and roles, invitations, and the groups members share.
struct WorkspacesFeature: LoamFeature {
    var migrations: [any Migration] { [CreateWorkspaces(), CreateInvitations(), CreateWorkspaceSharing()] }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: WorkspacesAPIController())
        try app.register(collection: WorkspaceSharingAPIController())
        try app.register(collection: WorkspacePagesController())
        try app.register(collection: InvitationPagesController())
    }
}
