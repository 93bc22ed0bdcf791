/// An identifier in its normalized (comparable) form. `value` is what gets stored and compared:
/// two people with equal `NormalizedIdentity` values are candidates for an automatic merge.
public struct NormalizedIdentity: Sendable, Hashable, Codable {
    public var kind: IdentityKind
    public var value: String

    public init(kind: IdentityKind, value: String) {
        self.kind = kind
        self.value = value
    }
}
