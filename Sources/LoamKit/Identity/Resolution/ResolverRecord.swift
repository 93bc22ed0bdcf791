/// One person as one source knows them, the unit identity resolution works on. Records are referred
/// to by their index in the array given to ``IdentityResolver/resolve(_:notTheSame:)``.
public struct ResolverRecord: Sendable {
    /// The display name as the source wrote it; only ever a weak signal.
    public var name: String
    public var company: String?
    /// Which import or sync the record came from (`"mail"`, `"vcard"`, `"linkedin"`, …): the same name
    /// seen by two different sources is worth a review, the same name twice in one file much less.
    public var source: String
    /// Identifiers already normalized by ``IdentityNormalizer``: raw spellings never meet.
    public var identities: [NormalizedIdentity]

    public init(name: String, company: String? = nil, source: String, identities: [NormalizedIdentity]) {
        self.name = name
        self.company = company
        self.source = source
        self.identities = identities
    }
}
