import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts every `loam` command with umask 077: whatever any part of Loam or a library creates (SQLite's -wal
/// and -shm files, a temporary file) is its user's alone, even where the code does not set a mode itself.
@main
enum LoamMain {
    static func main() async {
        umask(0o077)
        await Loam.main()
    }
}

/// The `loam` command tree. `serve`, `worker` and `migrate` build the Vapor application themselves
/// (see `AppBootstrap`), so Vapor never parses these arguments.
struct Loam: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loam",
        abstract: "Loam, a private relationship manager you run yourself.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, UserCommand.self, ImportCommand.self,
            MailCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: nil
    )
}
