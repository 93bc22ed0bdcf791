import Foundation
import Vapor

/// The one JSON style of the API: snake_case keys and RFC 3339 timestamps in UTC.
enum JSONCoding {
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Sets the coders for every route. Vapor reads only its process-wide `ContentConfiguration.global` (a request's
    /// content has no per-application configuration), so this stays global; every application sets the same coders,
    /// so installing them again changes nothing.
    static func install() {
        ContentConfiguration.global.use(encoder: makeEncoder(), for: .json)
        ContentConfiguration.global.use(decoder: makeDecoder(), for: .json)
    }
}
