/// Gathers review suggestions found on records and keeps one per pair of clusters, the one with the
/// strongest reason, keyed by the clusters' representatives.
struct ReviewCollector {
    let representative: ContiguousArray<Int32>
    private(set) var best: [RecordPair: DuplicateReason] = [:]

    init(representative: ContiguousArray<Int32>) {
        self.representative = representative
    }

    mutating func add(_ recordA: Int32, _ recordB: Int32, _ reason: DuplicateReason) {
        let a = Int(representative[Int(recordA)])
        let b = Int(representative[Int(recordB)])
        guard a != b else { return }
        addClusters(a, b, reason)
    }

    mutating func addClusters(_ a: Int, _ b: Int, _ reason: DuplicateReason) {
        let pair = RecordPair(a, b)
        if let current = best[pair], current.priority >= reason.priority { return }
        best[pair] = reason
    }
}
