/// Why two people were put in the Duplicates review instead of being merged or left alone.
public enum DuplicateReason: String, Sendable, Codable, CaseIterable {
    case sameNameAndCompany = "same_name_and_company"
    case sameNameOtherSource = "same_name_other_source"
    case nickname
    case conflictingIdentifiers = "conflicting_identifiers"

    /// One sentence for the user reading the Duplicates review.
    public var explanation: String {
        switch self {
        case .sameNameAndCompany:
            "Same name and company, but no shared address or number."
        case .sameNameOtherSource:
            "Same name, found in different sources, but no shared address or number."
        case .nickname:
            "Same last name, and the first names are forms of one name (such as Bob and Robert)."
        case .conflictingIdentifiers:
            "They share an address or number, but have different profiles on the same site, "
                + "so they were not merged automatically."
        }
    }

    /// When one pair of clusters has several reasons, the one shown: a shared identifier blocked by a
    /// conflict is the strongest evidence, then the name reasons from most to least specific.
    var priority: Int {
        switch self {
        case .conflictingIdentifiers: 3
        case .sameNameAndCompany: 2
        case .nickname: 1
        case .sameNameOtherSource: 0
        }
    }
}
