import ArgumentParser
import LoamServer
import Vapor

/// `loam migrate`: bring the database schema up to date (or back, with `--revert`), then exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply (or revert) database migrations and exit.")

    @Flag(name: .long, help: "Revert the last batch of migrations instead of applying.")
    var revert = false

    func run() async throws {
        let configuration = AppBootstrap.loadConfiguration()
        AppBootstrap.bootstrapLogging(level: configuration.logLevel)
        let app = try await AppBootstrap.makeApplication(configuration)
        do {
            if revert {
                try await app.autoRevert()
                print("Migrations reverted.")
            } else {
                try await app.autoMigrate()
                print("Database is up to date.")
            }
        } catch {
            app.logger.critical("migration failed", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw ExitCode.failure
        }
        try await app.asyncShutdown()
    }
}
