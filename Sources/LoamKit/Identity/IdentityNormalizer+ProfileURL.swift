extension IdentityNormalizer {
    /// A profile URL in comparable form: `host[:port]/path[?query]` without scheme, `www.`/`m.`/`mobile.`
    /// host prefix, fragment, trailing slash or tracking parameters; `nil` when it is not an http(s) URL
    /// with a host name, or is a big profile site's link to no profile (`https://twitter.com/`).
    ///
    /// The same profile is linked in many spellings (shared from an app with `?utm_source=…`, copied from a
    /// phone as `m.facebook.com`, from LinkedIn with `?trk=…` and a trailing slash), and every one must
    /// meet. For the big profile sites (``ProfileSite``) the whole query is dropped and the user name
    /// folded to lower case, since those sites match names case-insensitively; `twitter.com` becomes
    /// `x.com`. Elsewhere only known tracking parameters go, since a query may be what names the page.
    public static func profileURL(_ raw: String) -> String? {
        guard var url = ProfileURLParts(raw) else { return nil }
        let site = ProfileSite(host: url.host)
        if let site {
            url.host = site.host
            guard site.normalize(&url) else { return nil }
        } else {
            url.query.removeAll { ProfileURLParts.isTrackingParameter($0.name) }
        }
        return url.normalized
    }
}
