/// Two record (or cluster) indices, always stored with `a < b` so a pair has one spelling whichever
/// way round it was found.
public struct RecordPair: Hashable, Sendable, Codable {
    public let a: Int
    public let b: Int

    /// Orders the two indices; `first` and `second` should differ (a record is trivially itself).
    public init(_ first: Int, _ second: Int) {
        a = min(first, second)
        b = max(first, second)
    }
}
