import ArgumentParser
import LoamServer

/// `loam mail`: check mail delivery.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Check mail delivery.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test mail through SMTP_URL (or into the outbox folder) and say whether it left.")

        @Argument(help: "The address to send the test mail to.")
        var address: String

        func run() async throws {
            let configuration = LoamRuntime.loadConfiguration()
            LoamRuntime.bootstrapLogging(level: configuration.logLevel)
            let (line, delivered): (String, Bool)
            do {
                (line, delivered) = try await LoamRuntime.sendTestMail(configuration, to: address)
            } catch {
                throw ExitCode.failure
            }
            print(line)
            if !delivered { throw ExitCode.failure }
        }
    }
}
