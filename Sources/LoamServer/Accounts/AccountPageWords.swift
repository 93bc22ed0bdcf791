import Foundation

/// A short name for a browser from its User-Agent ("Firefox on Linux"), the raw text when it is unusual.
enum DeviceName {
    static func describe(_ agent: String?) -> String {
        guard let agent, !agent.isEmpty else { return "unknown device" }
        let browsers = [
            ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
        ]
        let systems = [
            ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("CrOS", "ChromeOS"), ("Linux", "Linux"),
        ]
        let browser = browsers.first { agent.contains($0.0) }?.1
        let system = systems.first { agent.contains($0.0) }?.1
        switch (browser, system) {
        case (let browser?, let system?): return "\(browser) on \(system)"
        case (let browser?, nil): return browser
        default: return String(agent.prefix(80))
        }
    }
}

extension AuditKind {
    /// The event as the account page lists it.
    var words: String {
        switch self {
        case .accountCreated: "Account created"
        case .emailVerified: "Address confirmed"
        case .signedIn: "Signed in"
        case .signInFailed: "Failed sign-in (wrong password)"
        case .signInThrottled: "Sign-in slowed down after failed attempts"
        case .signInRefusedRestricted: "Sign-in refused: account restricted"
        case .signedOut: "Signed out"
        case .sessionRevoked: "A session was signed out"
        case .otherSessionsRevoked: "Signed out everywhere else"
        case .passwordChanged: "Password changed"
        case .passwordReset: "Password reset from a mail link"
        case .recoveryRequested: "\"Can't sign in?\" mail requested"
        case .restricted: "Account restricted"
        case .unrestricted: "Restriction lifted"
        case .emailChangeRequested: "Address change requested"
        case .emailChanged: "Address changed"
        case .emailChangeUndone: "Address change undone"
        case .settingsChanged: "Settings changed"
        case .signInMethodAdded: "Sign-in method added"
        case .signInMethodRemoved: "Sign-in method removed"
        case .reauthenticated: "Confirmed with a provider for a change"
        }
    }
}
