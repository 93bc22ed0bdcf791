import Fluent
import Foundation
import LoamKit
import Vapor

/// What a feature asks to send.
public struct MailDraft: Sendable {
    public var to: [MailAddress]
    public var subject: String
    /// Plain text; put each link alone on its own line.
    public var body: String
    /// What the mail is for, recorded with its state (`invitation`, `verification`, …).
    public var category: String
    public var extraHeaders: [(String, String)]

    public init(
        to: [MailAddress], subject: String, body: String, category: String, extraHeaders: [(String, String)] = []
    ) {
        self.to = to
        self.subject = subject
        self.body = body
        self.category = category
        self.extraHeaders = extraHeaders
    }
}

/// Puts mail in the outbox, in the caller's transaction, and queues its delivery.
///
/// Because the outbox row and its job are written with the change that caused the mail, a mail
/// exists exactly when that change does, and it leaves as soon as the transaction commits.
public struct Mailer: Sendable {
    let from: MailAddress
    /// The host part of Message-IDs: the public host name.
    let messageIDHost: String
    let keyring: Keyring
    let jobs: JobQueue
    let clock: LoamClock

    static let owner = OwnerID.system("outbox")

    /// Queues `draft`; returns the outbox mail's id (features keep it to show delivery state).
    @discardableResult
    public func enqueue(_ draft: MailDraft, on database: any Database) async throws -> UUID {
        // A rule for every feature's mail, checked where all of them pass.
        guard MailMessage.linksStandAlone(in: draft.body) else {
            throw MailDraftError.linkNotAlone(category: draft.category)
        }
        guard !draft.to.isEmpty else { throw MailDraftError.noRecipient(category: draft.category) }
        let id = UUID()
        let messageID = "\(id.uuidString.lowercased())@\(messageIDHost)"
        let message = MailMessage(
            from: from, to: draft.to, subject: draft.subject, body: draft.body, messageID: messageID,
            date: clock.now(), extraHeaders: draft.extraHeaders)
        let envelope = SealedEnvelope(
            from: from.address, recipients: draft.to.map(\.address), message: Data(message.render()))
        let mail = OutboxMail(id: id, messageID: messageID, category: draft.category)
        let cipher = try await keyring.fieldCipher(for: Self.owner, on: database)
        mail.sealedEnvelope = try cipher.seal(try JSONEncoder().encode(envelope), context: Self.context(id))
        try await mail.create(on: database)
        try await jobs.enqueue(MailDeliveryJob.self, .init(mailID: id), on: database)
        return id
    }

    /// The delivery state of a queued mail (for features that show it).
    public func state(of mailID: UUID, on database: any Database) async throws -> OutboxMailState? {
        try await OutboxMail.find(mailID, on: database)?.state
    }

    static func context(_ id: UUID) -> FieldContext {
        FieldContext(
            table: OutboxMail.schema, column: "sealed_envelope", rowID: id.uuidString.lowercased(), owner: owner)
    }
}

/// A draft that breaks a rule every Loam mail keeps: a programming error in the feature that wrote it.
public enum MailDraftError: Error, Equatable {
    case linkNotAlone(category: String)
    case noRecipient(category: String)
}

struct SealedEnvelope: Codable {
    var from: String
    var recipients: [String]
    var message: Data
}

extension Application {
    private struct MailerKey: StorageKey {
        typealias Value = Mailer
    }

    private struct MailTransportKey: StorageKey {
        typealias Value = any MailTransport
    }

    /// Queues mail for delivery, set up by `configure`.
    public var mailer: Mailer {
        get {
            return configured(MailerKey.self)
        }
        set { storage[MailerKey.self] = newValue }
    }

    /// How mail leaves this process: SMTP when `SMTP_URL` is set, files otherwise. Tests may replace it.
    public var mailTransport: any MailTransport {
        get {
            return configured(MailTransportKey.self)
        }
        set { storage[MailTransportKey.self] = newValue }
    }
}
