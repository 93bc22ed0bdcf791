import Testing

/// One phone-number spelling and the E.164 form libphonenumber gives it (`nil`: not a valid number).
/// The cases themselves are generated into `PhoneNumberCases.swift` by scripts/generate_phone_cases.py,
/// as lines of text rather than an array literal, which would take the compiler gigabytes.
struct PhoneCase: Sendable, CustomTestStringConvertible {
    let input: String
    let region: String
    let expected: String?
    /// Which example number and which spelling, e.g. "DE mobile, trunk prefix in parentheses".
    let label: String
    /// Why Loam deliberately reads this spelling differently from libphonenumber, when it does.
    let unsupported: String?

    init(_ input: String, _ region: String, _ expected: String?, _ label: String, unsupported: String? = nil) {
        self.input = input
        self.region = region
        self.expected = expected
        self.label = label
        self.unsupported = unsupported
    }

    /// Reads the generated lines, `region|expected|label|input`, with an empty `expected` for `nil`.
    static func parse(_ table: String) -> [PhoneCase] {
        table.split(separator: "\n").map { line in
            let fields = line.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            precondition(fields.count == 4, "malformed generated phone case: \(line)")
            let (region, expected, label, input) = (fields[0], fields[1], fields[2], fields[3])
            return PhoneCase(
                input, region, expected.isEmpty ? nil : expected, label,
                unsupported: unsupportedReasons["\(region)|\(input)"])
        }
    }

    var testDescription: String {
        "\(label): \(String(reflecting: input)) in \(region) → \(expected ?? "nil")"
    }
}
