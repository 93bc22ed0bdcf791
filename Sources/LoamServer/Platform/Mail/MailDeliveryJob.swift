import Fluent
import Foundation
import LoamKit
import Vapor

/// Delivers one outbox mail, then records it as sent in the same transaction that completes the job.
///
/// A crash after the relay accepted the mail but before that commit makes the job run again once
/// its lease lapses: the mail goes out a second time with the same Message-ID, never more.
struct MailDeliveryJob: JobHandler {
    struct Payload: Codable, Sendable {
        var mailID: UUID
    }

    static let kind = "mail.deliver"
    static let maxAttempts = 12

    /// Looked up at run time, so a test (or a changed configuration) can swap the transport.
    let transport: @Sendable () -> any MailTransport
    let keyring: Keyring
    let clock: LoamClock

    func run(_ payload: Payload, context: JobContext) async throws {
        guard let mail = try await OutboxMail.find(payload.mailID, on: context.database) else {
            throw JobError.permanent("outbox mail missing")
        }
        if mail.state == .sent {
            return
        }
        guard let sealed = mail.sealedEnvelope else { throw JobError.permanent("outbox mail has no envelope") }
        let cipher = try await keyring.fieldCipher(for: Mailer.owner, on: context.database)
        let envelope = try JSONDecoder().decode(
            SealedEnvelope.self, from: try cipher.open(sealed, context: Mailer.context(payload.mailID)))
        let outgoing = OutgoingMail(
            id: payload.mailID, messageID: mail.messageID, from: envelope.from, recipients: envelope.recipients,
            message: Array(envelope.message), queuedAt: mail.createdAt ?? clock.now())

        let deliveredTo: String?
        do {
            deliveredTo = try await transport().deliver(outgoing)
        } catch {
            let failure =
                error as? MailDeliveryError
                ?? MailDeliveryError(isTransient: true, code: String(reflecting: type(of: error)))
            let givingUp = !failure.isTransient || context.isLastAttempt
            // Conditional: a stale worker (whose lease lapsed while another delivered) must not
            // turn a sent mail back into a failed one.
            var update = OutboxMail.query(on: context.database)
                .filter(\.$id == payload.mailID)
                .filter(\.$state != .sent)
                .set(\.$state, to: givingUp ? .failed : .retrying)
                .set(\.$attempts, to: context.attempt)
                .set(\.$lastError, to: failure.code)
            if givingUp { update = update.set(\.$sealedEnvelope, to: nil) }
            try? await context.database.serializedWrite { try await update.update() }
            throw failure.isTransient ? failure : JobError.permanent(failure.code)
        }

        try await context.finish { tx in
            mail.state = .sent
            mail.attempts = context.attempt
            mail.sentAt = clock.now()
            mail.lastError = nil
            mail.deliveredTo = deliveredTo
            // Delivered: the links and addresses need not stay in the database.
            mail.sealedEnvelope = nil
            try await mail.save(on: tx)
        }
        context.logger.info("mail delivered", metadata: ["mail_id": .string(payload.mailID.uuidString)])
    }
}
