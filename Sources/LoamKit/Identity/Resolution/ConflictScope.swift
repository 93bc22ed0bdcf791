/// Where two identifiers of one kind cannot both belong to one human: a profile URL's site (the host,
/// before the first `/`) or a source id's source (before the first `:`). One human has one LinkedIn
/// profile and one X account id, so two different values in one scope say "two people", even when the
/// records also share an address or number (a shared family or team mailbox, a reused phone).
///
/// Any host counts, not only the big profile sites: two pages on a personal domain then read as a
/// conflict, which costs a review instead of an automatic merge, the safe side to be wrong on.
struct ConflictScope: Hashable {
    var kind: IdentityKind
    var name: Substring

    /// `nil` for kinds a person may hold many of (emails, phones, handles on different services).
    init?(_ identity: NormalizedIdentity) {
        let separator: Character
        switch identity.kind {
        case .profileURL: separator = "/"
        case .sourceID: separator = ":"
        case .email, .phone, .handle: return nil
        }
        let value = identity.value
        guard let end = value.firstIndex(of: separator), end > value.startIndex else { return nil }
        kind = identity.kind
        name = value[..<end]
    }
}
