import Fluent
import Foundation
import LoamKit

/// How a person's identifier is stored, whoever writes it: sealed under the owner's data key, with a keyed blind
/// index for every lookup that needs equality (resolution, duplicates, re-imports) and, for an address, one of its
/// domain. The identifier itself is never in clear in the database.
enum IdentityRecord {
    static let valueColumn = "person_identities.value"
    static let domainColumn = "person_identities.domain"

    /// The equality index of an identifier: the same identifier of the same owner always gives the same index.
    static func index(_ identity: NormalizedIdentity, blindIndex: BlindIndex) -> String {
        blindIndex.exactToken(identity.kind.rawValue + ":" + identity.value, column: valueColumn)
    }

    /// The index of an address's domain (lower case, as normalized); nil for other kinds.
    static func domainIndex(_ identity: NormalizedIdentity, blindIndex: BlindIndex) -> String? {
        guard identity.kind == .email, let at = identity.value.lastIndex(of: "@") else { return nil }
        return domainIndex(of: String(identity.value[identity.value.index(after: at)...]), blindIndex: blindIndex)
    }

    /// The index of a domain as a query gives it ("acme.com").
    static func domainIndex(of domain: String, blindIndex: BlindIndex) -> String {
        blindIndex.exactToken(domain.lowercased(), column: domainColumn)
    }

    static func context(_ rowID: UUID, owner: OwnerID) -> FieldContext {
        FieldContext(table: PersonIdentity.schema, column: "sealed_value", rowID: rowID.lowercaseString, owner: owner)
    }

    static func seal(_ identity: NormalizedIdentity, rowID: UUID, owner: OwnerID, cipher: FieldCipher) throws -> Data {
        try cipher.seal(identity.value, context: context(rowID, owner: owner))
    }

    /// The identifier of a stored row: opened from its sealed value, or (a row the sealing job has not reached) as
    /// it was stored; nil for a kind this version does not know.
    static func open(_ row: PersonIdentity, owner: OwnerID, cipher: FieldCipher) throws -> NormalizedIdentity? {
        guard let kind = IdentityKind(rawValue: row.kind) else { return nil }
        guard let sealed = row.sealedValue else { return NormalizedIdentity(kind: kind, value: row.value) }
        return NormalizedIdentity(
            kind: kind, value: try cipher.openString(sealed, context: context(try row.requireID(), owner: owner)))
    }

    /// What to look for in `value` to find `identity`: its index, and while rows from before sealing may remain,
    /// the identifier as such rows hold it (a query parameter, never stored).
    static func lookupValues(_ identity: NormalizedIdentity, blindIndex: BlindIndex, legacy: Bool) -> [String] {
        legacy ? [index(identity, blindIndex: blindIndex), identity.value] : [index(identity, blindIndex: blindIndex)]
    }
}

/// An identifier as its owner sees it.
struct OpenedIdentity: Sendable {
    var id: UUID
    var kind: String
    var value: String
    var source: String
    var seenAt: Date
}
