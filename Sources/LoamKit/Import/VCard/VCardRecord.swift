/// One email address, phone number or URL of a card, with the label a person gave it.
public struct VCardValue: Sendable, Hashable {
    public var value: String
    /// Lower-cased `TYPE` (`home`, `work`, `cell`…; the first that is not `pref`, `internet` or `voice`), or the
    /// item's `X-ABLabel` (Apple's `_$!<Mobile>!$_` as `mobile`, a label the person typed as it was typed).
    public var label: String?

    public init(value: String, label: String? = nil) {
        self.value = value
        self.label = label
    }
}

/// A birthday; `year` is nil when the card leaves it out (`--0415`, Apple's year 1604).
public struct VCardBirthday: Sendable, Hashable {
    public var year: Int?
    public var month: Int
    public var day: Int

    public init(year: Int?, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// What Loam keeps of one vCard. Photos are never kept, only their size noted.
public struct VCardRecord: Sendable {
    /// 1-based line of the card's `BEGIN:VCARD`.
    public var line: Int
    /// `2.1`, `3.0` or `4.0`, as the card says.
    public var version: String?
    /// `FN`.
    public var formattedName: String?
    /// From `N` (family; given; additional; prefix; suffix).
    public var givenName: String?
    public var familyName: String?
    public var nickname: String?
    public var emails: [VCardValue]
    public var phones: [VCardValue]
    public var urls: [VCardValue]
    /// The organization's name, `ORG`'s first component (units after it are dropped).
    public var organization: String?
    public var title: String?
    public var birthday: VCardBirthday?
    /// `NOTE`; several are joined by a newline.
    public var note: String?
    public var uid: String?
    /// Decoded size in bytes of an embedded (base64) photo; nil when there is none or it is only a URI.
    public var photoBytes: Int?

    public init(
        line: Int, version: String? = nil, formattedName: String? = nil, givenName: String? = nil,
        familyName: String? = nil, nickname: String? = nil, emails: [VCardValue] = [], phones: [VCardValue] = [],
        urls: [VCardValue] = [], organization: String? = nil, title: String? = nil, birthday: VCardBirthday? = nil,
        note: String? = nil, uid: String? = nil, photoBytes: Int? = nil
    ) {
        self.line = line
        self.version = version
        self.formattedName = formattedName
        self.givenName = givenName
        self.familyName = familyName
        self.nickname = nickname
        self.emails = emails
        self.phones = phones
        self.urls = urls
        self.organization = organization
        self.title = title
        self.birthday = birthday
        self.note = note
        self.uid = uid
        self.photoBytes = photoBytes
    }

    /// FN, else "given family", else organization, else the first email; nil when the card names nobody.
    public var displayName: String? {
        if let formattedName, !formattedName.isEmpty { return formattedName }
        let name = [givenName, familyName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if !name.isEmpty { return name }
        if let organization, !organization.isEmpty { return organization }
        return emails.first?.value
    }
}

/// What `VCardReader.next()` yields: a card, or one it had to skip and why (reading goes on after it).
public enum VCardItem: Sendable {
    case card(VCardRecord)
    /// `line` is that of the skipped card's `BEGIN:VCARD` (or of the first stray line outside any card).
    case skipped(line: Int, reason: String)
}
