/// Where to go after signing in: only a path on this server (`/…`), never `//host` or `/\host`, which
/// browsers read as another site, so a crafted sign-in link cannot send someone elsewhere.
enum LocalRedirect {
    static let fallback = "/account"

    static func target(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count <= 2_000,
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return fallback }
        return next
    }
}
