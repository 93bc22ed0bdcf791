/// A configuration value that start-up cannot use.
///
/// The description is the one line `loam` prints before it exits: the variable's name and what it expects.
/// It never repeats the value itself, because a `DATABASE_URL` or a key may carry a secret.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let variable: String
    public let expected: String

    public init(variable: String, expected: String) {
        self.variable = variable
        self.expected = expected
    }

    public var description: String { "\(variable): expected \(expected)" }
}
