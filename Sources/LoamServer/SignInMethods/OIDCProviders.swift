import Vapor

/// The configured providers' clients, by id, built once at start-up.
struct OIDCProviders: Sendable {
    let clients: [String: OIDCProviderClient]
    /// In configuration order, for the buttons.
    let settings: [OIDCProviderSettings]

    init(settings: [OIDCProviderSettings], client: any Client, logger: Logger) {
        self.settings = settings
        var clients: [String: OIDCProviderClient] = [:]
        for provider in settings {
            clients[provider.id] = OIDCProviderClient(settings: provider, client: client, logger: logger)
        }
        self.clients = clients
    }

    func client(_ id: String) throws -> OIDCProviderClient {
        guard let client = clients[id.lowercased()] else { throw SignInMethodError.unknownProvider }
        return client
    }

    func name(of id: String) -> String {
        settings.first { $0.id == id }?.name ?? id
    }
}

extension Application {
    private struct OIDCProvidersKey: StorageKey {
        typealias Value = OIDCProviders
    }

    var oidcProviders: OIDCProviders {
        get { configured(OIDCProvidersKey.self) }
        set { storage[OIDCProvidersKey.self] = newValue }
    }

    /// The redirect URI registered with provider `id`: `LOAM_BASE_URL/auth/<id>/callback`.
    func oidcRedirectURI(_ id: String) -> String {
        loamConfiguration.baseURL.appendingPathComponent("auth").appendingPathComponent(id)
            .appendingPathComponent("callback").absoluteString
    }
}
