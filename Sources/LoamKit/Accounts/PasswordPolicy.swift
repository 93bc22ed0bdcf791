/// What a new password must be: 8 to 128 characters, not on the list of common passwords, not the
/// account's own address or name. Lengths count characters as a person sees them.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 8
    public static let maximumLength = 128

    private let common: Set<String>

    /// `commonPasswords` is the text of a list, one password per line (see Resources/Passwords).
    public init(commonPasswords: String) {
        common = Set(commonPasswords.split(whereSeparator: \.isNewline).map { $0.lowercased() })
    }

    public var commonPasswordCount: Int { common.count }

    public func problem(with password: String, email: String? = nil, name: String? = nil) -> PasswordProblem? {
        if password.count < Self.minimumLength { return .tooShort(minimum: Self.minimumLength) }
        if password.count > Self.maximumLength { return .tooLong(maximum: Self.maximumLength) }
        let lowered = password.lowercased()
        if common.contains(lowered) { return .common }
        if let email, !email.isEmpty {
            let address = email.lowercased()
            let local = address.split(separator: "@").first.map(String.init) ?? address
            if lowered == address || lowered == local { return .resemblesAccount }
        }
        if let name, !name.isEmpty, lowered == name.lowercased() { return .resemblesAccount }
        return nil
    }
}

public enum PasswordProblem: Error, Equatable, Sendable {
    case tooShort(minimum: Int)
    case tooLong(maximum: Int)
    case common
    case resemblesAccount

    /// What the person is told, without echoing the password.
    public var message: String {
        switch self {
        case .tooShort(let minimum): "Use at least \(minimum) characters."
        case .tooLong(let maximum): "Use at most \(maximum) characters."
        case .common: "This password is on a list of commonly used passwords. Choose one that is harder to guess."
        case .resemblesAccount: "Your password must not be your address or your name."
        }
    }
}
