import Foundation

/// A password hash in PHC string format: `$pbkdf2-sha256$i=600000$<salt>$<hash>`, salt and
/// hash in standard base64 without padding (padding is accepted when reading).
public struct PHCString: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The only algorithm identifier Loam writes.
    public static let pbkdf2SHA256 = "pbkdf2-sha256"

    public var algorithm: String
    public var iterations: Int
    public var salt: [UInt8]
    public var hash: [UInt8]

    public init(algorithm: String = Self.pbkdf2SHA256, iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// Parses a PHC string; nil when it is malformed in any way (never traps).
    public init?(parsing text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty else { return nil }
        let algorithm = fields[1]
        guard !algorithm.isEmpty, algorithm.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
        else { return nil }

        let parameter = fields[2]
        guard parameter.hasPrefix("i=") else { return nil }
        let digits = parameter.dropFirst(2)
        // Digits only: Int("+5") and Int("-5") parse, and neither belongs in a PHC string.
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let iterations = Int(digits), iterations > 0
        else { return nil }

        guard !fields[3].isEmpty, !fields[4].isEmpty,
            let salt = Base64.decodeStandard(fields[3]), let hash = Base64.decodeStandard(fields[4])
        else { return nil }

        self.init(algorithm: String(algorithm), iterations: iterations, salt: Array(salt), hash: Array(hash))
    }

    /// The canonical string, unpadded base64.
    public var string: String {
        "$\(algorithm)$i=\(iterations)$\(Base64.standard(salt, padded: false))$\(Base64.standard(hash, padded: false))"
    }

    // The hash is an offline-cracking target: keep it out of logs however a value gets printed.
    public var description: String { "PHCString(\(algorithm), i=\(iterations))" }
    public var debugDescription: String { description }
}
