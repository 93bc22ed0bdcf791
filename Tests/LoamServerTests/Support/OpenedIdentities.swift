import Fluent
import Foundation
import LoamKit
import Vapor

@testable import LoamServer

/// A stored identifier as a test checks it: opened with its owner's key, as only Loam itself can.
struct StoredIdentity {
    var row: PersonIdentity
    var kind: String
    var value: String
    var personID: UUID { row.$person.id }
    var source: String { row.source }
}

extension Application {
    /// Every identifier in the database (or those of one person), opened with each owner's key.
    func storedIdentities(of personID: UUID? = nil) async throws -> [StoredIdentity] {
        var query = PersonIdentity.query(on: db)
        if let personID { query = query.filter(\.$person.$id == personID) }
        var result: [StoredIdentity] = []
        for row in try await query.all() {
            let owner = OwnerID.user(row.ownerID.uuidString.lowercased())
            let cipher = try await keyring.fieldCipher(for: owner, on: db)
            guard let identity = try IdentityRecord.open(row, owner: owner, cipher: cipher) else { continue }
            result.append(StoredIdentity(row: row, kind: row.kind, value: identity.value))
        }
        return result
    }
}
