import Vapor

extension Application {
    private struct ConfigurationKey: StorageKey {
        typealias Value = LoamConfiguration
    }

    /// The typed configuration this application was configured with.
    public var loamConfiguration: LoamConfiguration {
        get {
            guard let configuration = storage[ConfigurationKey.self] else {
                fatalError("configure(_:_:) has not run: LoamConfiguration is missing")
            }
            return configuration
        }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
