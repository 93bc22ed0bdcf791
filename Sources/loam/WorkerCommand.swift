import ArgumentParser
import LoamServer

/// `loam worker`: run background jobs without serving HTTP.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run background jobs (mail delivery and more) until interrupted.")

    func run() async throws {
        let configuration = LoamRuntime.loadConfiguration()
        LoamRuntime.bootstrapLogging(level: configuration.logLevel)
        do {
            try await LoamRuntime.worker(configuration)
        } catch {
            throw ExitCode.failure
        }
    }
}
