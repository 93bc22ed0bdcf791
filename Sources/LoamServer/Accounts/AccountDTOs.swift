import Fluent
import Foundation
import Vapor

struct SignUpRequest: Content {
    var email: String
    var name: String
}

/// The same answer for a new and a taken address.
struct SignUpAccepted: Content {
    var status = "accepted"
    var message = "We sent a mail to this address. Open its link to choose your password and sign in."
}

/// The verification link's token and the password it sets.
struct VerificationRequest: Content {
    var token: String
    var password: String
}

struct SignInRequest: Content {
    var email: String
    var password: String
}

struct RecoveryRequest: Content {
    var email: String
}

struct PasswordChangeRequest: Content {
    var currentPassword: String
    var newPassword: String
}

struct AccountDTO: Content {
    var id: UUID
    var email: String
    var name: String
    var emailVerified: Bool
    var timeZone: String
    var phoneRegion: String
    var createdAt: Date?
    /// The password and the linked providers.
    var signInMethods: [SignInMethodsService.Method]

    init(_ user: User, signInMethods: [SignInMethodsService.Method]) throws {
        self.signInMethods = signInMethods
        id = try user.requireID()
        email = user.email
        name = user.name
        emailVerified = user.isVerified
        timeZone = user.timeZone
        phoneRegion = user.phoneRegion
        createdAt = user.createdAt
    }

    static func of(_ user: User, _ request: Request) async throws -> AccountDTO {
        try AccountDTO(user, signInMethods: try await request.application.signInMethods.methods(of: user))
    }
}

struct SignInResponse: Content {
    var token: String
    /// The absolute expiry: the latest this session can last.
    var expiresAt: Date
    var sessionId: UUID
}

extension SignInResponse {
    /// 201 with a new session's bearer token: how every API sign-in ends (a password, or a confirmation link).
    static func created(_ issued: SessionToken, for request: Request) async throws -> Response {
        let response = SignInResponse(
            token: issued.token, expiresAt: issued.session.expiresAt, sessionId: try issued.session.requireID())
        return try await response.encodeResponse(status: .created, for: request)
    }
}

struct SessionDTO: Content {
    var id: UUID
    var createdAt: Date?
    var lastSeenAt: Date
    var expiresAt: Date
    var clientAddress: String?
    var device: String?
    var current: Bool

    init(_ session: UserSession, currentID: UUID?) throws {
        id = try session.requireID()
        createdAt = session.createdAt
        lastSeenAt = session.lastSeenAt
        expiresAt = session.expiresAt
        clientAddress = session.clientAddress
        device = session.device
        current = id == currentID
    }
}

struct AuditEventDTO: Content {
    var id: UUID
    var kind: String
    var createdAt: Date?
    var clientAddress: String?
    var device: String?
    var detail: String?

    init(_ event: AuditEvent) throws {
        id = try event.requireID()
        kind = event.kind.rawValue
        createdAt = event.createdAt
        clientAddress = event.clientAddress
        device = event.device
        detail = event.detail
    }
}

struct RecoveryAccepted: Content {
    var status = "accepted"
    var message = "A mail is on its way to this address with how to sign in."
}

struct EmailChangeRequest: Content {
    var newEmail: String
    var currentPassword: String?
}

struct TokenRequest: Content {
    var token: String
}

struct SettingsUpdate: Content {
    var name: String?
    var timeZone: String?
    var phoneRegion: String?
}
