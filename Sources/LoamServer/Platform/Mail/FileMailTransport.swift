import Foundation
import Logging

/// With no SMTP relay configured, each mail becomes a file `<UTC time>-<mail id>.eml` in the outbox
/// folder, kept there: `swift run loam serve` works with no set-up, and a developer opens the link
/// from the file.
struct FileMailTransport: MailTransport {
    let directory: String
    let logger: Logger
    let name = "file"

    func deliver(_ mail: OutgoingMail) async throws -> String? {
        do {
            // The mails hold live links (password resets, invitations): folder and files for Loam's user alone.
            try PrivateFiles.makeFolder(directory)
            let fileName = Self.fileName(for: mail)
            let path = (directory as NSString).appendingPathComponent(fileName)
            // Atomic: a reader never sees half a mail, and a retry simply replaces the file.
            try PrivateFiles.writeFile(mail.message, to: path)
            logger.info(
                "mail written to the outbox folder",
                metadata: ["file": .string(path), "mail_id": .string(mail.id.uuidString)])
            return fileName
        } catch {
            throw MailDeliveryError(isTransient: true, code: "outbox folder not writable")
        }
    }

    static func fileName(for mail: OutgoingMail) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "\(formatter.string(from: mail.queuedAt))-\(mail.id.uuidString.lowercased()).eml"
    }
}
