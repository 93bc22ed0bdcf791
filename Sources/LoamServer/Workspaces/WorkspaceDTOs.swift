import Foundation
import Vapor

enum WorkspaceDTO {
    struct Create: Content {
        var name: String
    }

    struct Workspace: Content {
        var id: UUID
        var name: String
        /// The caller's own role.
        var role: String
        var createdAt: Date?
    }

    struct Member: Content {
        var userId: UUID
        var name: String
        var email: String
        var role: String
        var joinedAt: Date?
    }

    struct RoleChange: Content {
        var role: String
    }

    struct Transfer: Content {
        var userId: UUID
    }

    struct Invite: Content {
        var email: String
        var role: String?
    }

    struct Invitation: Content {
        var id: UUID
        var email: String
        var role: String
        var state: String
        var expiresAt: Date
        /// The link to copy: the same one every mail carries.
        var link: String
        var invitedBy: String?
        var sendCount: Int
        var createdAt: Date?
        var acceptedAt: Date?
        var revokedAt: Date?
    }
}
