import ArgumentParser
import Foundation
import LoamServer
import Vapor

/// `loam serve`: migrate, then serve HTTP until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate the database and serve Loam over HTTP.")

    @Option(name: .long, help: "Address to listen on.")
    var hostname: String = LoamConfiguration.defaultHostname

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = LoamConfiguration.defaultPort

    func run() async throws {
        let configuration = AppBootstrap.loadConfiguration(hostname: hostname, port: port)
        AppBootstrap.bootstrapLogging(level: configuration.logLevel)
        let app = try await AppBootstrap.makeApplication(configuration)
        do {
            try await app.autoMigrate()
            try await app.startup()
            let boundPort = app.http.server.shared.localAddress?.port ?? configuration.port
            print("Loam is listening on http://\(displayHost(configuration.hostname)):\(boundPort)")
            if configuration.baseURL.absoluteString != "http://\(displayHost(configuration.hostname)):\(boundPort)" {
                print("Links point at \(configuration.baseURL.absoluteString)")
            }
            fflush(stdout)
            try await app.running?.onStop.get()
        } catch {
            app.logger.critical("loam serve stopped", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw ExitCode.failure
        }
        try await app.asyncShutdown()
    }

    private func displayHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
