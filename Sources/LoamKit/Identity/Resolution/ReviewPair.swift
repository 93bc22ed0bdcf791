/// Two people the user should look at in the Duplicates review, and why.
public struct ReviewPair: Sendable, Hashable, Codable {
    /// The representatives (lowest record index) of the two clusters; see ``Resolution``.
    public var pair: RecordPair
    public var reason: DuplicateReason

    public init(pair: RecordPair, reason: DuplicateReason) {
        self.pair = pair
        self.reason = reason
    }
}
