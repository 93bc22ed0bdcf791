import ArgumentParser
import Foundation
import LoamServer

#if canImport(Glibc)
    import Glibc
#endif

/// `loam user`: operator chores on accounts, working on the database directly.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create, restrict and unrestrict accounts.",
        subcommands: [Create.self, Restrict.self, Unrestrict.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Create a verified account. The password is read from standard input (its first line) when that is not a terminal."
        )

        @Argument(help: "The account's address.") var email: String
        @Option(help: "The person's name (default: the part of the address before @).") var name: String?
        @Flag(help: "Make the account an operator (restricts accounts, answers support).") var admin = false

        func run() async throws {
            guard let password = readPassword() else {
                FileHandle.standardError.write(Data("loam: no password given on standard input\n".utf8))
                throw ExitCode.failure
            }
            let configuration = LoamRuntime.loadConfiguration()
            LoamRuntime.bootstrapLogging(level: configuration.logLevel)
            let result = try await LoamRuntime.createUser(
                configuration, email: email, name: name, password: password, admin: admin)
            try report(result)
        }

        /// From a terminal: prompt without echo. Otherwise: the first line of standard input.
        private func readPassword() -> String? {
            if isatty(STDIN_FILENO) != 0, let typed = getpass("Password for \(email): ") {
                return String(cString: typed)
            }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { return nil }
            return line
        }
    }

    struct Restrict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restrict an account: it cannot sign in, and the user is told why and how to recover.")

        @Argument(help: "The account's address.") var email: String
        @Option(help: "suspected-spam, compromised, abuse or operator.") var reason: String

        func run() async throws {
            let configuration = LoamRuntime.loadConfiguration()
            LoamRuntime.bootstrapLogging(level: configuration.logLevel)
            try report(try await LoamRuntime.setRestriction(configuration, email: email, reason: reason))
        }
    }

    struct Unrestrict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift an account's restriction.")

        @Argument(help: "The account's address.") var email: String

        func run() async throws {
            let configuration = LoamRuntime.loadConfiguration()
            LoamRuntime.bootstrapLogging(level: configuration.logLevel)
            try report(try await LoamRuntime.setRestriction(configuration, email: email, reason: nil))
        }
    }
}

private func report(_ result: LoamRuntime.UserCommandResult) throws {
    if result.succeeded {
        print(result.message)
    } else {
        FileHandle.standardError.write(Data("loam: \(result.message)\n".utf8))
        throw ExitCode.failure
    }
}
