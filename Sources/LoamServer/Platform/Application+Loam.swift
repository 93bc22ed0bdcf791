import Vapor

extension Application {
    private struct ConfigurationKey: StorageKey {
        typealias Value = LoamConfiguration
    }

    /// The typed configuration this application was configured with.
    public var loamConfiguration: LoamConfiguration {
        get {
            configured(ConfigurationKey.self)
        }
        set { storage[ConfigurationKey.self] = newValue }
    }
}

extension Application {
    /// A service `configure(_:_:)` sets up. Reading one before it ran is a programming error.
    func configured<Key: StorageKey>(_ key: Key.Type, file: StaticString = #fileID, line: UInt = #line) -> Key.Value {
        guard let value = storage[key] else {
            fatalError("configure(_:_:) has not set up \(Key.Value.self)", file: file, line: line)
        }
        return value
    }
}
