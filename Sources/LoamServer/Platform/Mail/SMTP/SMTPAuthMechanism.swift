/// The SASL mechanisms this client speaks; both need TLS (or loopback) because they carry the password itself.
enum SMTPAuthMechanism: String, Sendable, Equatable, CaseIterable {
    case plain = "PLAIN"
    case login = "LOGIN"
}
