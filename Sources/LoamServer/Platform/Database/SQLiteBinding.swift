import FluentSQLiteDriver
import Foundation
import LoamKit

/// The values of an import's multi-row INSERTs as `SQLiteData`, converted here rather than by SQLiteKit's encoder.
///
/// The encoder handles a `UUID` or an `Optional` through a nested `Encoder` (allocated per value, with dynamic casts),
/// and a `UUID` through Foundation's `uuidString`, which formats with `snprintf`; an import binds a dozen such values
/// per row, and this was a tenth of its time. The result is what the encoder gives, value for value: a `UUID` is
/// the text of `uuidString`, nil is NULL, and every other type goes through the encoder itself.
enum SQLiteBinding {
    static func data(_ value: any Encodable) throws -> SQLiteData {
        // Concrete types first: a cast to a protocol (`any SQLiteDataConvertible`) looks the conformance up, which
        // cost more than the conversion itself. Each case is what that type's `sqliteData` gives.
        switch value {
        case let uuid as UUID: return .text(uuid.uppercaseString)
        case let text as String: return .text(text)
        case let data as Data: if let converted = data.sqliteData { return converted }
        case let date as Date: if let converted = date.sqliteData { return converted }
        case let number as Int: return .integer(number)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        case let number as Double: return .float(number)
        case let optional as any OptionalBinding:
            guard let wrapped = optional.wrappedBinding else { return .null }
            return try data(wrapped)
        case let convertible as any SQLiteDataConvertible:
            if let converted = convertible.sqliteData { return converted }
        default: break
        }
        return try SQLiteDataEncoder().encode(value)
    }
}

/// An `Optional` whose value can be bound: lets `SQLiteBinding` look inside without knowing the wrapped type.
protocol OptionalBinding {
    var wrappedBinding: (any Encodable)? { get }
}

extension Optional: OptionalBinding where Wrapped: Encodable {
    var wrappedBinding: (any Encodable)? { self }
}

extension SQLRow {
    /// A `UUID` column. SQLite hands it back as text, which SQLiteKit's decoder parses through a nested `Decoder`
    /// and Foundation's `sscanf`; an import reads one back per row it inserts, so SQLite's rows are read by hand.
    func decodeUUID(column: String) throws -> UUID {
        if self is SQLiteRow, let text = try? decode(column: column, as: String.self),
            let id = UUID(canonicalText: text)
        {
            return id
        }
        return try decode(column: column, as: UUID.self)
    }
}
