/// Why an RRULE value was refused. The message names the rule part and the value so that an import can report it
/// beside the line it skipped.
public enum RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingFrequency
    case unknownFrequency(String)
    case unknownPart(String)
    case repeatedPart(String)
    case malformedPart(String)
    case invalidValue(part: String, value: String, expected: String)
    case unsupported(part: String, value: String)

    public var description: String {
        switch self {
        case .missingFrequency: "RRULE has no FREQ"
        case .unknownFrequency(let value):
            "RRULE FREQ=\(value) is not one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"
        case .unknownPart(let name): "RRULE part \(name) is not defined by RFC 5545"
        case .repeatedPart(let name): "RRULE part \(name) is given more than once"
        case .malformedPart(let text): "RRULE part \"\(text)\" is not NAME=VALUE"
        case .invalidValue(let part, let value, let expected): "RRULE \(part)=\(value) is invalid: expected \(expected)"
        case .unsupported(let part, let value): "RRULE \(part)=\(value) is not supported (only the Gregorian calendar)"
        }
    }
}
