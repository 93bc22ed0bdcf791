/// An `SMTP_URL` or `SMTP_CA_FILE` that start-up cannot use.
///
/// Like `ConfigurationError`, it names the variable and what is expected, never the value: the URL carries the
/// relay's password.
struct SMTPConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    let variable: String
    let expected: String

    var description: String { "\(variable): expected \(expected)" }

    static func url(_ expected: String) -> SMTPConfigurationError {
        SMTPConfigurationError(variable: "SMTP_URL", expected: expected)
    }
}
