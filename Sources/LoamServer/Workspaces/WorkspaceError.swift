import Foundation
import Vapor

/// What can go wrong with workspaces and invitations. A workspace you are not a member of is `notFound`,
/// like one that does not exist; a member without the role for an action gets `forbidden`.
enum WorkspaceError: LoamError, Equatable {
    case notFound
    case forbidden
    case invalidName
    case invalidEmail
    case invalidRole
    case emailUnverified
    case alreadyMember
    case lastOwner
    case invitationNotPending
    case invitationForOtherAddress
    case tooManyInvitations(retryAfter: Int)

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalidName, .invalidEmail, .invalidRole: .unprocessableEntity
        case .emailUnverified, .invitationForOtherAddress: .forbidden
        case .alreadyMember, .lastOwner, .invitationNotPending: .conflict
        case .tooManyInvitations: .tooManyRequests
        }
    }

    var problemType: ProblemType {
        switch self {
        case .notFound: .notFound
        case .forbidden, .invitationForOtherAddress: .forbidden
        case .invalidName, .invalidEmail, .invalidRole: .validation
        case .emailUnverified: .emailUnverified
        case .alreadyMember, .lastOwner, .invitationNotPending: .conflict
        case .tooManyInvitations: .tooManyRequests
        }
    }

    var detail: String {
        switch self {
        case .notFound: "No such workspace."
        case .forbidden: "Your role in this workspace does not allow this. Ask an owner or admin."
        case .invalidName: "Give the workspace a name (at most 100 characters, one line)."
        case .invalidEmail: "That is not a mail address."
        case .invalidRole: "The role is one of member or admin."
        case .emailUnverified:
            "Confirm your own address first: open the link in the mail we sent you, or send it again from your account page."
        case .alreadyMember: "That person is already a member of this workspace."
        case .lastOwner: "A workspace always has an owner. Transfer ownership to another member first."
        case .invitationNotPending: "This invitation is no longer open: it was accepted, revoked or has expired."
        case .invitationForOtherAddress: "This invitation is for another address than the one you are signed in with."
        case .tooManyInvitations(let seconds):
            "Too many invitations in the last hour. Try again in \(max(1, seconds / 60)) minutes."
        }
    }

    var headers: HTTPHeaders {
        if case .tooManyInvitations(let seconds) = self { return ["Retry-After": String(max(1, seconds))] }
        return [:]
    }
}
