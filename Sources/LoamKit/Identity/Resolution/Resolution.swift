/// What ``IdentityResolver`` decided for a set of records.
///
/// A record that merges with nothing is a cluster of one: it is not listed in ``clusters`` and is its
/// own representative. Every other cluster is represented by its lowest record index, which is the
/// first element of its entry in ``clusters``.
public struct Resolution: Sendable {
    /// Every cluster of two or more records to merge automatically, each with its indices ascending;
    /// clusters ordered by their lowest index.
    public var clusters: [[Int]]
    /// Pairs of clusters (by representative) that might be the same person but were not merged, at most
    /// one per pair of clusters, ordered by `pair.a`, then `pair.b`.
    public var reviewPairs: [ReviewPair]

    public init(clusters: [[Int]], reviewPairs: [ReviewPair]) {
        self.clusters = clusters
        self.reviewPairs = reviewPairs
    }
}
