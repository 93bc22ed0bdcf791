import Fluent
import Foundation
import Logging
import Vapor

/// What the `loam` verbs do with an application, kept here so the executable stays a thin
/// argument parser. Each verb builds its own `Environment`, so Vapor never parses `loam`'s flags.
public enum LoamRuntime {
    /// Parses the configuration from the process environment, or prints the one-line reason
    /// and exits with status 78 (EX_CONFIG).
    public static func loadConfiguration(hostname: String? = nil, port: Int? = nil) -> LoamConfiguration {
        do {
            return try LoamConfiguration.load(
                environment: ProcessInfo.processInfo.environment, hostname: hostname, port: port)
        } catch let error as ConfigurationError {
            exit(with: error)
        } catch {
            writeError("loam: \(error)")
            Foundation.exit(1)
        }
    }

    /// Logging goes to standard error through the redacting handler, at the configured level.
    public static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }

    /// `loam serve`: migrate, listen, print the address, and run until SIGINT or SIGTERM.
    public static func serve(_ configuration: LoamConfiguration) async throws {
        let app = try await makeApplication(configuration)
        do {
            try await app.autoMigrate()
            // Vapor's default command is its own `serve`, which reads the configured host and port.
            try await app.startup()
            let port = app.http.server.shared.localAddress?.port ?? configuration.port
            let listening = "http://\(urlHost(configuration.hostname)):\(port)"
            // With --port 0 and no LOAM_BASE_URL, links must name the port the server got, not port 0. Set before
            // the banner, so nothing that reads the banner can send a request that sees the old value.
            if configuration.port == 0,
                configuration.baseURL == LoamConfiguration.derivedBaseURL(hostname: configuration.hostname, port: 0),
                let actual = URL(string: listening)
            {
                app.loamConfiguration.baseURL = actual
            }
            let links = app.loamConfiguration.baseURL.absoluteString
            var banner = "Loam is listening on \(listening)\n"
            if links != listening {
                banner += "Links point at \(links)\n"
            }
            FileHandle.standardOutput.write(Data(banner.utf8))
            try await app.running?.onStop.get()
        } catch {
            app.logger.critical("loam serve stopped", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// `loam migrate`: apply (or revert the last batch of) migrations and exit.
    public static func migrate(_ configuration: LoamConfiguration, revert: Bool) async throws {
        let app = try await makeApplication(configuration)
        do {
            if revert {
                try await app.autoRevert()
            } else {
                try await app.autoMigrate()
            }
        } catch {
            app.logger.critical("migration failed", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func makeApplication(_ configuration: LoamConfiguration) async throws -> Application {
        // Only the executable name: Vapor's command runner then picks its default command, `serve`.
        let app = try await Application.make(Environment(name: "production", arguments: ["loam"]))
        app.logger.logLevel = configuration.logLevel
        app.directory = ResourceLocator.directory()
        do {
            try await configure(app, configuration)
        } catch let error as ConfigurationError {
            try? await app.asyncShutdown()
            exit(with: error)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    private static func exit(with error: ConfigurationError) -> Never {
        writeError("loam: configuration error: \(error.description)")
        Foundation.exit(78)
    }

    private static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func urlHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}

extension LoamRuntime {
    /// `loam keys rotate`: re-wraps every data key under the current `LOAM_MASTER_KEY`, opening old
    /// ones with `LOAM_MASTER_KEY_RETIRED`. Returns how many keys were re-wrapped.
    public static func rotateMasterKey(_ configuration: LoamConfiguration) async throws -> Int {
        let app = try await makeApplication(configuration)
        do {
            try await app.autoMigrate()
            let count = try await app.keyring.rewrapAll(on: app.db)
            try await app.asyncShutdown()
            return count
        } catch {
            app.logger.critical("key rotation failed", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw error
        }
    }
}
