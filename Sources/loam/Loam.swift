import ArgumentParser

/// The `loam` command tree. `serve`, `worker` and `migrate` build the Vapor application themselves
/// (see `AppBootstrap`), so Vapor never parses these arguments.
@main
struct Loam: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loam",
        abstract: "Loam, a private relationship manager you run yourself.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, UserCommand.self, ImportCommand.self, MailCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: nil
    )
}
