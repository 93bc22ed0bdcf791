import Foundation
import Vapor

/// The browser's session cookie: HttpOnly, SameSite=Lax, Secure and `__Host-` prefixed over https.
enum SessionCookie {
    static func name(for configuration: LoamConfiguration) -> String {
        configuration.isHTTPS ? "__Host-loam_session" : "loam_session"
    }

    static func value(_ token: String, expires: Date, configuration: LoamConfiguration) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: expires, maxAge: nil, domain: nil, path: "/", isSecure: configuration.isHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }

    static func expired(configuration: LoamConfiguration) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
            isSecure: configuration.isHTTPS, isHTTPOnly: true, sameSite: .lax)
    }
}
