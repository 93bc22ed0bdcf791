import Foundation
import Logging
import NIOCore
import Vapor

/// Hands mail to the relay in `SMTP_URL`.
struct SMTPMailTransport: MailTransport {
    let client: SMTPClient
    let name = "smtp"

    func deliver(_ mail: OutgoingMail) async throws -> String? {
        do {
            try await client.send(SMTPEnvelope(from: mail.from, recipients: mail.recipients, message: mail.message))
            return nil
        } catch {
            throw MailDeliveryError(isTransient: error.isTransient, code: "\(error)")
        }
    }
}

/// Closes the relay sessions kept between mails when the application shuts down.
struct SMTPClientLifecycle: LifecycleHandler {
    let client: SMTPClient

    func shutdownAsync(_ application: Application) async {
        await client.shutdown()
    }
}
