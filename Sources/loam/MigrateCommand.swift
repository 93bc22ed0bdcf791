import ArgumentParser
import LoamServer

/// `loam migrate`: bring the database schema up to date (or back, with `--revert`), then exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply (or revert) database migrations and exit.")

    @Flag(name: .long, help: "Revert the last batch of migrations instead of applying.")
    var revert = false

    func run() async throws {
        let configuration = LoamRuntime.loadConfiguration()
        LoamRuntime.bootstrapLogging(level: configuration.logLevel)
        do {
            try await LoamRuntime.migrate(configuration, revert: revert)
        } catch {
            throw ExitCode.failure
        }
        print(revert ? "Migrations reverted." : "Database is up to date.")
    }
}
