import LoamKit
import Vapor

/// Where a request comes from, as audit entries and the session list show it.
struct ClientContext: Sendable {
    var address: String?
    /// The browser or client, from User-Agent, shortened.
    var device: String?

    static let commandLine = ClientContext(address: nil, device: "command line")
}

extension Request {
    var clientContext: ClientContext {
        let configuration = application.loamConfiguration
        let address = configuration.trustedProxies.clientAddress(
            peer: remoteAddress?.ipAddress, forwardedFor: headers.first(name: "X-Forwarded-For"))
        let agent = headers.first(name: .userAgent).map { String($0.prefix(200)) }
        return ClientContext(address: address, device: agent)
    }
}
