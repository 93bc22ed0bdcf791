import Crypto
import Foundation

/// Why a Sign in with Apple client secret could not be set up or made. Descriptions name the
/// problem and what is expected, never the key.
public enum AppleClientSecretError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The team id or key id is empty.
    case missingIdentifier(String)
    /// The text is not a PEM private key block.
    case notAPrivateKeyPEM
    /// A PEM private key, but not a readable P-256 one.
    case unreadableKey
    /// The lifetime is under a second or exceeds Apple's limit of about 6 months.
    case lifetimeOutOfRange

    public var description: String {
        switch self {
        case .missingIdentifier(let name):
            "Apple client secret: \(name) is empty"
        case .notAPrivateKeyPEM:
            "Apple client secret: the key is not a PEM private key (expected the .p8 file from Apple, "
                + "\"-----BEGIN PRIVATE KEY-----\" … \"-----END PRIVATE KEY-----\")"
        case .unreadableKey:
            "Apple client secret: the PEM block is not a P-256 private key (expected the .p8 file from Apple)"
        case .lifetimeOutOfRange:
            "Apple client secret: lifetime must be at least 1 and at most \(Int(AppleClientSecret.maximumLifetime)) seconds"
        }
    }
}

/// Sign in with Apple's client secret: an ES256 JWT signed with the key from Apple's developer
/// account, sent as `client_secret` to Apple's token endpoint.
///
/// Made fresh (and short-lived) rather than stored: a leaked secret then expires within the
/// hour instead of working for months.
public struct AppleClientSecret: Sendable {
    public static let audience = "https://appleid.apple.com"
    /// Apple refuses client secrets that live longer than 15,777,000 seconds (6 months).
    public static let maximumLifetime: TimeInterval = 15_777_000

    let teamID: String
    let keyID: String
    let privateKey: P256.Signing.PrivateKey

    /// Reads PKCS#8 (`BEGIN PRIVATE KEY`, Apple's .p8 file) or SEC1 (`BEGIN EC PRIVATE KEY`).
    ///
    /// Windows line endings and a PEM pasted into an environment variable with literal `\n`
    /// in place of line breaks are accepted, since both are common ways the file gets mangled.
    public init(teamID: String, keyID: String, privateKeyPEM: String) throws {
        guard !teamID.isEmpty else { throw AppleClientSecretError.missingIdentifier("team id") }
        guard !keyID.isEmpty else { throw AppleClientSecretError.missingIdentifier("key id") }
        var pem = privateKeyPEM.trimmingCharacters(in: .whitespacesAndNewlines)
        if !pem.contains(where: \.isNewline) { pem = pem.replacingOccurrences(of: "\\n", with: "\n") }
        guard pem.hasPrefix("-----BEGIN "), pem.contains("PRIVATE KEY-----") else {
            throw AppleClientSecretError.notAPrivateKeyPEM
        }
        do {
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            // swift-crypto's error says nothing useful here and is dropped on purpose.
            throw AppleClientSecretError.unreadableKey
        }
        self.teamID = teamID
        self.keyID = keyID
    }

    /// Header `{"alg":"ES256","kid":keyID}`; claims `{"iss":teamID,"iat":now,"exp":now+lifetime,
    /// "aud":audience,"sub":clientID}` with whole seconds.
    ///
    /// - Parameter clientID: the Services ID (web) or bundle id (app) the secret is for.
    public func make(clientID: String, now: Date, lifetime: TimeInterval = 3600) throws -> String {
        guard lifetime >= 1, lifetime <= Self.maximumLifetime else { throw AppleClientSecretError.lifetimeOutOfRange }
        guard !clientID.isEmpty else { throw AppleClientSecretError.missingIdentifier("client id") }
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let claims: [String: Any] = [
            "iss": teamID, "iat": issuedAt, "exp": issuedAt + Int(lifetime.rounded(.down)), "aud": Self.audience,
            "sub": clientID,
        ]
        let payload = try JSONSerialization.data(
            withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        return try JWSSigner.sign(claims: payload, key: .es256(privateKey), keyID: keyID)
    }
}
