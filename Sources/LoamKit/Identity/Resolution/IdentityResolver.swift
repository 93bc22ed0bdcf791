/// Decides which records are one human: merges automatically on shared hard identifiers, and lists the
/// pairs a person should look at in the Duplicates review.
///
/// The rules (DESIGN.md, "People"):
/// - Records merge only when they share a hard identifier (email, phone, profile URL, source id or
///   handle) and the two clusters being joined hold no conflicting one (``ConflictScope``: different
///   profiles on one site, different ids from one source). A name alone never merges.
/// - A join blocked by a conflict is reported for review as ``DuplicateReason/conflictingIdentifiers``.
/// - A pair marked "not the same" is never merged, not even through a chain of other records, and the
///   clusters holding it are never reported for review.
/// - Clusters left apart are suggested for review on names: same name and company, same name from
///   another source, or nicknames of one first name with the same last name.
///
/// Records are merged in index order, each joined to the clusters of the earlier records sharing its
/// identifiers; when two joins of one record exclude each other, the earlier identifier wins. The
/// outcome is deterministic for a given order.
public struct IdentityResolver: Sendable {
    /// Name buckets (people sharing a name key, or a canonical first name and last name) holding more
    /// clusters than this are not reported at all. In a large address book "John Smith" may be dozens of
    /// different people; pairing them all would flood the review with suggestions nobody can act on, and
    /// cost quadratic time. 50 clusters is up to 1,225 pairs for one name.
    public var nameBucketLimit: Int

    public init(nameBucketLimit: Int = 50) {
        self.nameBucketLimit = nameBucketLimit
    }

    /// Resolves `records` (referred to by index) with the user's "not the same person" pairs; pairs with
    /// an index out of range are ignored.
    public func resolve(_ records: [ResolverRecord], notTheSame: Set<RecordPair> = []) -> Resolution {
        let count = records.count
        guard count > 0 else { return Resolution(clusters: [], reviewPairs: []) }
        var forest = ClusterForest(count: count)
        for pair in notTheSame where pair.a >= 0 && pair.b < count && pair.a != pair.b {
            forest.exclude(Int32(pair.a), Int32(pair.b))
        }

        // Identifiers are interned to integers once, so the merge itself compares and stores no strings.
        var identityIDs: [NormalizedIdentity: Int32] = [:]
        identityIDs.reserveCapacity(count * 3)
        var scopeIDs: [ConflictScope: UInt64] = [:]
        /// The first record that held each interned identifier: later holders join its cluster.
        var owners = ContiguousArray<Int32>()
        owners.reserveCapacity(count * 3)
        var conflicts: [(Int32, Int32)] = []
        // Reused for every record: one allocation for the whole run instead of two per record.
        var recordClaims: [UInt64] = []
        var joinable: [Int32] = []

        for (index, record) in records.enumerated() {
            let recordIndex = Int32(index)
            joinable.removeAll(keepingCapacity: true)
            recordClaims.removeAll(keepingCapacity: true)
            for identity in record.identities {
                let next = Int32(owners.count)
                // One hash per identifier: the `default:` subscript inserts `next` when it is new.
                let id = Self.value(&identityIDs[identity, default: next])
                if id == next {
                    owners.append(recordIndex)
                } else {
                    joinable.append(owners[Int(id)])
                }
                if let scope = ConflictScope(identity) {
                    let nextScope = UInt64(scopeIDs.count)
                    let scopeID = Self.value(&scopeIDs[scope, default: nextScope])
                    recordClaims.append(scopeID << 32 | UInt64(UInt32(bitPattern: id)))
                }
            }
            // The record's own claims are in place before it meets any cluster.
            if !recordClaims.isEmpty { forest.setClaims(recordClaims, of: recordIndex) }
            for owner in joinable {
                switch forest.join(recordIndex, owner) {
                case .conflicting: conflicts.append((recordIndex, owner))
                case .joined, .alreadyJoined, .excluded: break
                }
            }
        }

        // Representatives: the lowest index of each cluster, found by walking indices upwards.
        var representativeOfRoot = ContiguousArray<Int32>(repeating: -1, count: count)
        var representative = ContiguousArray<Int32>(repeating: 0, count: count)
        var clusterOfRoot = ContiguousArray<Int32>(repeating: -1, count: count)
        var clusters: [[Int]] = []
        for index in 0..<count {
            let root = Int(forest.find(Int32(index)))
            if representativeOfRoot[root] < 0 { representativeOfRoot[root] = Int32(index) }
            representative[index] = representativeOfRoot[root]
            guard forest.size(ofRoot: Int32(root)) >= 2 else { continue }
            if clusterOfRoot[root] < 0 {
                clusterOfRoot[root] = Int32(clusters.count)
                clusters.append([])
            }
            clusters[Int(clusterOfRoot[root])].append(index)
        }

        var review = ReviewCollector(representative: representative)
        for (a, b) in conflicts { review.add(a, b, .conflictingIdentifiers) }
        collectNameReviews(records, into: &review)
        // "Not the same" holds for the clusters around the pair, whatever reason would have paired them.
        let excluded = Set(
            notTheSame.lazy.filter { $0.a >= 0 && $0.b < count }.map {
                RecordPair(Int(representative[$0.a]), Int(representative[$0.b]))
            })
        let reviewPairs = review.best
            .filter { !excluded.contains($0.key) }
            .map { ReviewPair(pair: $0.key, reason: $0.value) }
            .sorted { ($0.pair.a, $0.pair.b) < ($1.pair.a, $1.pair.b) }
        return Resolution(clusters: clusters, reviewPairs: reviewPairs)
    }

    @inline(__always) private static func value<T>(_ slot: inout T) -> T { slot }

    /// Whether people holding `a` and people holding `b` cannot be one human (the rule ``resolve`` uses
    /// between clusters), for the server checking one newly arrived person against an existing one.
    public static func conflicts(_ a: [NormalizedIdentity], _ b: [NormalizedIdentity]) -> Bool {
        var scopes: [ConflictScope: UInt64] = [:]
        var identities: [NormalizedIdentity: UInt64] = [:]
        func claims(_ list: [NormalizedIdentity]) -> [UInt64] {
            list.compactMap { identity in
                guard let scope = ConflictScope(identity) else { return nil }
                let scopeID = scopes[scope] ?? UInt64(scopes.count)
                scopes[scope] = scopeID
                let id = identities[identity] ?? UInt64(identities.count)
                identities[identity] = id
                return scopeID << 32 | id
            }.sorted()
        }
        return ClusterForest.conflict(claims(a), claims(b))
    }

    /// The name-based reason to review `a` and `b` as possible duplicates, `nil` when their names give
    /// none. Identifiers are not looked at: that is ``conflicts(_:_:)`` and the merge's business.
    public static func reviewReason(_ a: ResolverRecord, _ b: ResolverRecord) -> DuplicateReason? {
        let nameA = PersonName(a.name)
        let nameB = PersonName(b.name)
        guard nameA.isUsable, nameB.isUsable else { return nil }
        if nameA.key == nameB.key {
            if let company = a.company.flatMap(CompanyName.key), company == b.company.flatMap(CompanyName.key) {
                return .sameNameAndCompany
            }
            return a.source != b.source ? .sameNameOtherSource : nil
        }
        if let last = nameA.last, last == nameB.last, let firstA = nameA.first, let firstB = nameB.first,
            firstA != firstB, Nicknames.canonical(folded: firstA) == Nicknames.canonical(folded: firstB)
        {
            return .nickname
        }
        return nil
    }
}
