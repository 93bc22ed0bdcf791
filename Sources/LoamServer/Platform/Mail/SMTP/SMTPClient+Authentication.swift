import Foundation

extension SMTPClient {
    /// AUTH with the configured mechanism, else PLAIN (one round trip), else LOGIN. Both carry the password itself,
    /// which is why `handshake` only gets here over TLS or on loopback. Neither the credentials nor their base64
    /// form are ever logged: only the reply codes are.
    func authenticate(_ connection: SMTPConnection, capabilities: SMTPCapabilities) async throws(SMTPError) {
        let offered = capabilities.authMechanisms
        let mechanism: SMTPAuthMechanism
        if let forced = configuration.authMechanism {
            guard offered.contains(forced.rawValue) else { throw .authenticationUnavailable }
            mechanism = forced
        } else if offered.contains(SMTPAuthMechanism.plain.rawValue) {
            mechanism = .plain
        } else if offered.contains(SMTPAuthMechanism.login.rawValue) {
            mechanism = .login
        } else {
            throw .authenticationUnavailable
        }

        let username = configuration.username ?? ""
        let password = configuration.password ?? ""
        let final: SMTPReply
        switch mechanism {
        case .plain:
            // RFC 4616: authorization identity (empty), NUL, user, NUL, password.
            let token = Self.base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
            final = try await connection.command("AUTH PLAIN \(token)", stage: .auth)
        case .login:
            let start = try await connection.command("AUTH LOGIN", stage: .auth)
            try expectChallenge(start)
            let user = try await connection.command(Self.base64(Array(username.utf8)), stage: .auth)
            try expectChallenge(user)
            final = try await connection.command(Self.base64(Array(password.utf8)), stage: .auth)
        }
        guard final.code == 235 else {
            throw .rejected(stage: .auth, code: final.code, enhancedCode: final.enhancedCode, recipientIndex: nil)
        }
    }

    private func expectChallenge(_ reply: SMTPReply) throws(SMTPError) {
        guard reply.code == 334 else {
            throw .rejected(stage: .auth, code: reply.code, enhancedCode: reply.enhancedCode, recipientIndex: nil)
        }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
