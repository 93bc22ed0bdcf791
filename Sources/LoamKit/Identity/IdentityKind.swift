/// The kinds of identifier a person can be known by.
///
/// Identity resolution merges people who share a normalized identifier of the same kind; the raw
/// values are stored as the wire and database spelling of the kind.
public enum IdentityKind: String, Sendable, Codable, CaseIterable {
    case email
    case phone
    case handle
    case profileURL = "profile_url"
    case sourceID = "source_id"
}
