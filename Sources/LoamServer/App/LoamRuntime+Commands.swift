import Dispatch
import Fluent
import Foundation
import LoamKit
import NIOConcurrencyHelpers
import Vapor

extension LoamRuntime {
    /// `loam worker`: runs background jobs (mail delivery, imports, digests) until SIGINT or SIGTERM,
    /// then lets running jobs end. Any number may run beside any number of `loam serve`.
    public static func worker(_ configuration: LoamConfiguration) async throws {
        var configuration = configuration
        configuration.runsWorker = true
        let app = try await makeApplication(configuration)
        do {
            try await app.autoMigrate()
            try await app.asyncBoot()
            FileHandle.standardOutput.write(
                Data("Loam worker running (\(configuration.workerConcurrency) at a time).\n".utf8))
            await waitForTerminationSignal()
        } catch {
            app.logger.critical("loam worker stopped", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Runs a command-line verb's work on an application with no worker of its own, then delivers
    /// the mail that work queued before returning: a verb never leaves its mail behind for a server
    /// that may not be running.
    public static func runCommand<T: Sendable>(
        _ configuration: LoamConfiguration, _ body: @Sendable (Application) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.runsWorker = false
        let app = try await makeApplication(configuration)
        do {
            try await app.autoMigrate()
            let result = try await body(app)
            try await app.jobs.drain(kinds: [MailDeliveryJob.kind], timeout: .seconds(120))
            try await app.asyncShutdown()
            return result
        } catch {
            app.logger.error("command failed", metadata: ["error": .string(String(describing: error))])
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `loam mail test ADDRESS`: sends a test mail through the configured transport and reports
    /// whether it left. Returns a line for the operator and whether the mail was delivered.
    public static func sendTestMail(_ configuration: LoamConfiguration, to address: String) async throws -> (
        String, Bool
    ) {
        let recipient: MailAddress
        do {
            recipient = try MailAddress(address)
        } catch {
            return ("That is not a mail address.", false)
        }
        let base = configuration.baseURL.absoluteString
        return try await runCommand(configuration) { app in
            let id = try await app.mailer.enqueue(
                MailDraft(
                    to: [recipient], subject: "Loam test mail",
                    body:
                        "This is a test mail from your Loam server at\n\n\(base)\n\nIf you can read it, mail delivery works.\n",
                    category: "test"),
                on: app.db)
            try await app.jobs.drain(kinds: [MailDeliveryJob.kind], timeout: .seconds(60))
            guard let mail = try await OutboxMail.find(id, on: app.db) else { return ("The mail was lost.", false) }
            switch mail.state {
            case .sent:
                if let file = mail.deliveredTo {
                    return (
                        "No SMTP_URL is set: the mail was written to \(configuration.outboxDirectory)/\(file).", true
                    )
                }
                return ("Delivered to the SMTP relay (Message-ID <\(mail.messageID)>).", true)
            case .retrying, .queued:
                return ("Not delivered yet: \(mail.lastError ?? "no answer"). It will be retried by the worker.", false)
            case .failed:
                return ("Delivery failed: \(mail.lastError ?? "refused").", false)
            }
        }
    }

    /// Suspends until SIGINT or SIGTERM.
    static func waitForTerminationSignal() async {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
