import Foundation

/// One person as a contact-list export describes them: a LinkedIn connection, a row of a Google or Outlook
/// contacts CSV, a Facebook friend, an X account followed or following. Every reader of such a list hands
/// these out, so one importer turns them all into people.
public struct ContactRecord: Sendable, Hashable {
    /// An identifier as the export spells it; the importer normalizes it.
    public enum Identifier: Sendable, Hashable {
        case email(String)
        case phone(String)
        /// A profile page: a LinkedIn `/in/…` URL, a Facebook or X profile link.
        case profileURL(String)
        /// A handle on a service (`service` as `IdentityNormalizer.handle` takes it: "x", "instagram"…).
        case handle(service: String, value: String)
        /// An account id a service gives (X's numeric account id, LinkedIn's `urn:li:member:…`).
        case sourceID(service: String, value: String)
    }

    /// 1-based line where the record starts (a CSV row, which may span lines), or for JSON exports the
    /// line of the entry when known, else its 1-based position in the list.
    public var line: Int
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var identifiers: [Identifier]
    public var organization: String?
    public var title: String?
    /// When the connection began, when the export says: LinkedIn's "Connected On", a Facebook friend's timestamp.
    public var connectedAt: Date?
    public var birthday: VCardBirthday?
    /// What the person is to the user on that service: "connection", "friend", "following", "follower", "contact".
    public var relationship: String?

    public init(
        line: Int, name: String? = nil, givenName: String? = nil, familyName: String? = nil,
        identifiers: [Identifier] = [],
        organization: String? = nil, title: String? = nil, connectedAt: Date? = nil, birthday: VCardBirthday? = nil,
        relationship: String? = nil
    ) {
        self.line = line
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.identifiers = identifiers
        self.organization = organization
        self.title = title
        self.connectedAt = connectedAt
        self.birthday = birthday
        self.relationship = relationship
    }

    /// The name to show: `name`, else given and family name joined.
    public var displayName: String? {
        if let name, !name.trimmingCharacters(in: .whitespaces).isEmpty { return name }
        let joined = [givenName, familyName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }.joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }
}

/// What a contact-list reader's `next()` hands out.
public enum ContactItem: Sendable {
    case contact(ContactRecord)
    /// A row or entry that could not be read; `line` as in `ContactRecord.line`.
    case skipped(line: Int, reason: String)
}
