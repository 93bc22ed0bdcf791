/// Union-find over record indices that refuses joins a merge must not make: clusters whose claims
/// conflict (see ``ConflictScope``) and clusters holding a pair the user marked "not the same".
///
/// Checks are between whole clusters, not the two records that met, so a conflict cannot be walked
/// around through a third record (A shares an email with B, B a phone with C, A and C have different
/// LinkedIn profiles).
struct ClusterForest {
    enum JoinOutcome {
        case joined, alreadyJoined, conflicting, excluded
    }

    private var parent: ContiguousArray<Int32>
    private var size: ContiguousArray<Int32>
    /// Per root: `scope << 32 | identity` for every profile URL and source id in the cluster, sorted, so
    /// a scope's values are one run found by binary search.
    private var claims: ContiguousArray<[UInt64]>
    /// Per root: the records some member was marked "not the same" as.
    private var exclusions: ContiguousArray<[Int32]>

    init(count: Int) {
        parent = ContiguousArray((0..<Int32(count)))
        size = ContiguousArray(repeating: 1, count: count)
        claims = ContiguousArray(repeating: [], count: count)
        exclusions = ContiguousArray(repeating: [], count: count)
    }

    /// Sets a record's own claims; call before the record is joined to anything.
    mutating func setClaims(_ recordClaims: [UInt64], of record: Int32) {
        claims[Int(record)] = recordClaims.sorted()
    }

    mutating func exclude(_ a: Int32, _ b: Int32) {
        exclusions[Int(a)].append(b)
        exclusions[Int(b)].append(a)
    }

    mutating func find(_ record: Int32) -> Int32 {
        var node = record
        // Path halving: every visited node skips to its grandparent, which keeps trees flat without a
        // second pass or recursion.
        while parent[Int(node)] != node {
            let grandparent = parent[Int(parent[Int(node)])]
            parent[Int(node)] = grandparent
            node = grandparent
        }
        return node
    }

    mutating func join(_ a: Int32, _ b: Int32) -> JoinOutcome {
        var rootA = find(a)
        var rootB = find(b)
        if rootA == rootB { return .alreadyJoined }
        if size[Int(rootA)] < size[Int(rootB)] { swap(&rootA, &rootB) }
        // Exclusions are recorded on both ends, so the smaller list of the two is enough to check.
        let excludedA = exclusions[Int(rootA)]
        let excludedB = exclusions[Int(rootB)]
        let (checked, otherRoot) = excludedA.count <= excludedB.count ? (excludedA, rootB) : (excludedB, rootA)
        for record in checked where find(record) == otherRoot { return .excluded }
        if Self.conflict(claims[Int(rootA)], claims[Int(rootB)]) { return .conflicting }

        parent[Int(rootB)] = rootA
        size[Int(rootA)] += size[Int(rootB)]
        if !claims[Int(rootB)].isEmpty {
            claims[Int(rootA)] = Self.union(claims[Int(rootA)], claims[Int(rootB)])
            claims[Int(rootB)] = []
        }
        if !excludedB.isEmpty {
            exclusions[Int(rootA)].append(contentsOf: excludedB)
            exclusions[Int(rootB)] = []
        }
        return .joined
    }

    /// The cluster sizes by root, for the caller to find clusters of two or more.
    func size(ofRoot root: Int32) -> Int { Int(size[Int(root)]) }

    /// Two sorted claim lists conflict when some scope holds values on both sides and the sides share
    /// none of them. With one value a side (the usual case) that is "different values"; a record that
    /// itself lists two LinkedIn profiles vouches that both are one human's, so it conflicts only with a
    /// cluster that has neither.
    static func conflict(_ first: [UInt64], _ second: [UInt64]) -> Bool {
        if first.isEmpty || second.isEmpty { return false }
        let (small, large) = first.count <= second.count ? (first, second) : (second, first)
        var start = 0
        while start < small.count {
            let scope = small[start] >> 32
            var end = start + 1
            while end < small.count, small[end] >> 32 == scope { end += 1 }
            let lower = lowerBound(large, scope << 32)
            if lower < large.count, large[lower] >> 32 == scope {
                var shared = false
                for claim in small[start..<end] {
                    let index = lowerBound(large, claim)
                    if index < large.count, large[index] == claim {
                        shared = true
                        break
                    }
                }
                if !shared { return true }
            }
            start = end
        }
        return false
    }

    private static func lowerBound(_ sorted: [UInt64], _ value: UInt64) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func union(_ first: [UInt64], _ second: [UInt64]) -> [UInt64] {
        var merged: [UInt64] = []
        merged.reserveCapacity(first.count + second.count)
        var i = 0
        var j = 0
        while i < first.count || j < second.count {
            let next: UInt64
            if j == second.count || (i < first.count && first[i] <= second[j]) {
                next = first[i]
                i += 1
            } else {
                next = second[j]
                j += 1
            }
            if merged.last != next { merged.append(next) }
        }
        return merged
    }
}
