import Foundation

/// The claims Loam uses from a verified ID token (OIDC Core 1.0 §2, §5.1).
public struct IDTokenClaims: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var issuer: String
    public var subject: String
    public var audiences: [String]
    public var authorizedParty: String?
    public var expiresAt: Date
    public var issuedAt: Date
    public var nonce: String?
    public var email: String?
    /// Apple sends `"true"`/`"false"` strings, Google booleans; absent means false.
    public var emailVerified: Bool
    /// Apple's `is_private_email` (a relay address), bool or string; absent means false.
    public var isPrivateEmail: Bool
    public var name: String?
    public var givenName: String?
    public var familyName: String?

    /// Lets the server's tests stand in for a provider without minting a token.
    public init(
        issuer: String, subject: String, audiences: [String], authorizedParty: String? = nil, expiresAt: Date,
        issuedAt: Date, nonce: String? = nil, email: String? = nil, emailVerified: Bool = false,
        isPrivateEmail: Bool = false, name: String? = nil, givenName: String? = nil, familyName: String? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.authorizedParty = authorizedParty
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.email = email
        self.emailVerified = emailVerified
        self.isPrivateEmail = isPrivateEmail
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
    }

    /// Reads the claims from a payload whose signature has been checked. Required claims
    /// (`iss`, `sub`, `aud`, `exp`, `iat`) missing or of the wrong type make the token malformed;
    /// optional ones of the wrong type are treated as absent. Does not judge values: the
    /// verifier does that, in its own order.
    init(payload: [String: JOSEJSON]) throws(IDTokenError) {
        guard let issuer = payload["iss"]?.string else { throw .malformed("iss") }
        guard let subject = payload["sub"]?.string else { throw .malformed("sub") }
        guard let audiences = Self.audiences(payload["aud"]) else { throw .malformed("aud") }
        guard let exp = payload["exp"]?.number else { throw .malformed("exp") }
        guard let iat = payload["iat"]?.number else { throw .malformed("iat") }
        self.init(
            issuer: issuer, subject: subject, audiences: audiences, authorizedParty: payload["azp"]?.string,
            expiresAt: Date(timeIntervalSince1970: exp), issuedAt: Date(timeIntervalSince1970: iat),
            nonce: payload["nonce"]?.string, email: payload["email"]?.string,
            emailVerified: Self.flag(payload["email_verified"]), isPrivateEmail: Self.flag(payload["is_private_email"]),
            name: payload["name"]?.string, givenName: payload["given_name"]?.string,
            familyName: payload["family_name"]?.string)
    }

    // Email and names must never reach a log line (CONVENTIONS.md), however the value gets printed.
    public var description: String {
        "IDTokenClaims(iss: \(issuer), sub: \(subject), exp: \(Int(expiresAt.timeIntervalSince1970)))"
    }
    public var debugDescription: String { description }

    /// `aud` is one string or an array of strings (OIDC Core §2).
    private static func audiences(_ value: JOSEJSON?) -> [String]? {
        switch value {
        case .string(let audience)?: return [audience]
        case .array(let list)?:
            let audiences = list.compactMap(\.string)
            return audiences.count == list.count ? audiences : nil
        default: return nil
        }
    }

    /// A boolean claim that some providers send as a string. Only a real `true` counts.
    private static func flag(_ value: JOSEJSON?) -> Bool {
        switch value {
        case .bool(let flag)?: flag
        case .string(let text)?: text.lowercased() == "true"
        default: false
        }
    }
}
