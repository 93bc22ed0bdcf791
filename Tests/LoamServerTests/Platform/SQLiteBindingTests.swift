import FluentSQLiteDriver
import Foundation
import LoamKit
import Testing

@testable import LoamServer

/// An import's rows are bound by `SQLiteBinding` and read back by Fluent, whose queries bind through SQLiteKit's
/// encoder: a value converted differently (an identifier in lower case, a date as text) would be a row no query finds.
@Suite("SQLite binding")
struct SQLiteBindingTests {
    @Test("every kind of value an import binds becomes exactly what SQLiteKit's encoder makes of it")
    func sameAsTheEncoder() throws {
        let id = TimeOrderedUUID.make()
        let values: [any Encodable & Sendable] = [
            id, UUID(), Optional(id), UUID?.none, "text", "", String?.none, Optional("text"), Data([0, 1, 255]),
            Data?.none,
            Optional(Data([7])), Date(timeIntervalSince1970: 1_704_067_200.25), Date?.none, Optional(Date()), 42, -1,
            Int?.none,
            Optional(3), true, false, Bool?.none, 0.5,
        ]
        let encoder = SQLiteDataEncoder()
        for value in values {
            #expect(try SQLiteBinding.data(value) == encoder.encode(value), "\(value)")
        }
        #expect(try SQLiteBinding.data(id) == .text(id.uuidString))
        #expect(try SQLiteBinding.data(UUID?.none) == .null)
    }
}
