/// The sites most profile links point to, with what is known about their URLs: which hosts are the
/// same site, that the query never names the profile (except Facebook's numeric `profile.php?id=`),
/// and that user names are case-insensitive.
enum ProfileSite: Sendable {
    case linkedIn, x, facebook, instagram, gitHub

    /// `nil` for any other host. LinkedIn's country hosts (`de.linkedin.com`) show the same profiles.
    init?(host: String) {
        switch host {
        case "linkedin.com": self = .linkedIn
        case "x.com", "twitter.com": self = .x
        case "facebook.com", "fb.com": self = .facebook
        case "instagram.com", "instagr.am": self = .instagram
        case "github.com": self = .gitHub
        default:
            let labels = host.split(separator: ".")
            guard labels.count == 3, labels[0].count == 2, labels[1] == "linkedin", labels[2] == "com" else {
                return nil
            }
            self = .linkedIn
        }
    }

    /// The host every spelling of the site is stored under.
    var host: String {
        switch self {
        case .linkedIn: "linkedin.com"
        case .x: "x.com"
        case .facebook: "facebook.com"
        case .instagram: "instagram.com"
        case .gitHub: "github.com"
        }
    }

    /// Puts `url` into the site's one spelling; `false` when it names no profile at all (the site's home
    /// page, `/in/` without a name, `profile.php` without an id), which placeholder values in contact
    /// data often are, and which must not merge everyone who has one.
    func normalize(_ url: inout ProfileURLParts) -> Bool {
        if self == .x, url.path.isEmpty, let fragment = url.fragment, fragment.hasPrefix("!/") {
            // Old hash-bang links: twitter.com/#!/jack is twitter.com/jack.
            url.path = fragment.dropFirst(2).split(separator: "/").map(String.init)
        }
        if self == .facebook, url.path == ["profile.php"] {
            // A profile without a user name is named by its id, the one query parameter that matters.
            url.query = url.query.filter { $0.name == "id" && $0.value?.isEmpty == false }.prefix(1).map { $0 }
            return !url.query.isEmpty
        }
        url.query = []
        guard let name = url.path.first else { return false }
        if self == .linkedIn, name.lowercased() == "in" {
            // /in/NAME/ is the profile; anything after it (/details/…, /recent-activity/, a locale such as
            // /de) is a page of the same profile.
            guard url.path.count >= 2 else { return false }
            url.path = ["in", url.path[1].lowercased()]
        } else if self != .linkedIn {
            url.path[0] = name.lowercased()
        }
        return true
    }
}
