import ArgumentParser
import LoamServer

/// `loam serve`: migrate the database, then serve HTTP until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate the database and serve Loam over HTTP.")

    @Option(name: .long, help: "Address to listen on.")
    var hostname: String = LoamConfiguration.defaultHostname

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = LoamConfiguration.defaultPort

    func run() async throws {
        let configuration = LoamRuntime.loadConfiguration(hostname: hostname, port: port)
        LoamRuntime.bootstrapLogging(level: configuration.logLevel)
        do {
            try await LoamRuntime.serve(configuration)
        } catch {
            throw ExitCode.failure
        }
    }
}
