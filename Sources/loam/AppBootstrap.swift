import Foundation
import LoamServer
import Logging
import Vapor

/// What every verb shares: reading the configuration, setting up logging, building the application.
enum AppBootstrap {
    /// Parses the configuration, or prints the one-line reason and exits with status 78 (EX_CONFIG).
    static func loadConfiguration(hostname: String? = nil, port: Int? = nil) -> LoamConfiguration {
        do {
            return try LoamConfiguration.load(
                environment: ProcessInfo.processInfo.environment, hostname: hostname, port: port)
        } catch let error as ConfigurationError {
            exitWithConfigurationError(error)
        } catch {
            FileHandle.standardError.write(Data("loam: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }

    static func exitWithConfigurationError(_ error: ConfigurationError) -> Never {
        FileHandle.standardError.write(Data("loam: configuration error: \(error.description)\n".utf8))
        Foundation.exit(78)
    }

    /// Logging goes to standard error through the redacting handler, at the configured level.
    static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }

    /// A configured application. `arguments` are what Vapor's own command runner sees: only the
    /// executable name, so its default command (`serve`) runs with the configured host and port.
    static func makeApplication(_ configuration: LoamConfiguration) async throws -> Application {
        let environment = Environment(name: "production", arguments: ["loam"])
        let app = try await Application.make(environment)
        app.logger.logLevel = configuration.logLevel
        do {
            try await configure(app, configuration)
        } catch let error as ConfigurationError {
            try? await app.asyncShutdown()
            exitWithConfigurationError(error)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}
