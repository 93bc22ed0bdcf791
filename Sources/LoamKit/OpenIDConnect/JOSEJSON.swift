import Foundation

/// JSON as JOSE documents carry it: token headers, claim sets and key sets.
///
/// Decoded with `JSONDecoder` into this enum rather than read through `JSONSerialization`,
/// because `NSNumber` blurs `true` and `1` (differently on Darwin and Linux); here a claim of the
/// wrong type is seen as such on every platform.
enum JOSEJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JOSEJSON])
    case object([String: JOSEJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool before Double: a decoder that turned `true` into 1 must not get the chance.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JOSEJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JOSEJSON].self))
        }
    }

    /// The members of `data` when it is one JSON object; nil for anything else.
    static func object(from data: Data) -> [String: JOSEJSON]? {
        guard case .object(let members)? = try? JSONDecoder().decode(JOSEJSON.self, from: data) else { return nil }
        return members
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var number: Double? {
        if case .number(let value) = self { value } else { nil }
    }
}
