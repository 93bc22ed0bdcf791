import Foundation

/// One mailbox of an address header: `"Oster, Dana" <dana@example.com>` is name "Oster, Dana", address
/// "dana@example.com".
public struct MailboxAddress: Sendable, Hashable {
    /// The display name, RFC 2047 decoded and unquoted (or the comment when there is no other); `nil` when absent.
    public var name: String?
    /// The address as written, trimmed; not normalized (that is `IdentityNormalizer`'s job).
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }
}

/// The headers of one mbox message that an import needs; the body is never read into it.
public struct MailHeaders: Sendable {
    /// 1-based line number in the file of the message's "From " line.
    public var line: Int
    public var from: [MailboxAddress] = []
    public var to: [MailboxAddress] = []
    public var cc: [MailboxAddress] = []
    public var bcc: [MailboxAddress] = []
    public var replyTo: [MailboxAddress] = []
    public var sender: [MailboxAddress] = []
    /// `nil` when missing or unparseable.
    public var date: Date?
    /// RFC 2047 decoded and unfolded; `nil` when there is no Subject header.
    public var subject: String?
    /// Without the angle brackets.
    public var messageID: String?
    /// The first message id of In-Reply-To, without the angle brackets.
    public var inReplyTo: String?
    /// The message ids of References in order, without the angle brackets.
    public var references: [String] = []
    /// The list's identifier: what is inside List-Id's angle brackets, or the whole value when it has none.
    public var listID: String?
    public var listUnsubscribe: String?
    public var precedence: String?
    /// X-Gmail-Labels (Google Takeout) split on commas, trimmed, quotes removed.
    public var gmailLabels: [String] = []
    /// Set when `date` came from the envelope or a Received header because the Date header gave none.
    public var dateFallback: MailDateFallback?
    /// A From or Sender of `<>`, the null reverse-path of bounces and auto-replies (`MAILER-DAEMON <>`): a machine.
    public var hasNullSender = false

    public init(line: Int) {
        self.line = line
    }

    /// Mail from a list, a newsletter or a machine, not from a person writing to the owner: List-Id or
    /// List-Unsubscribe present, Precedence bulk/list/junk, a no-reply From or Sender, or the null sender `<>`.
    public var isBulk: Bool {
        if listID != nil || listUnsubscribe != nil { return true }
        if let precedence, Self.bulkPrecedences.contains(precedence.trimmingSpaces().lowercased()) {
            return true
        }
        return hasNullSender || from.contains { Self.isNoReply($0.address) }
            || sender.contains { Self.isNoReply($0.address) }
    }

    /// Gmail chat pseudo-messages in a Takeout mbox (Hangouts/Chat history), labelled "Chat".
    public var isChat: Bool {
        gmailLabels.contains { label in
            var label = label
            return label.withUTF8 { bytes in
                // ASCII labels (all of Gmail's own) are compared on bytes; others as lowercased strings.
                guard MailBytes.isSingleByteText(bytes) else {
                    let label = MailBytes.string(bytes).lowercased()
                    return label == "chat" || label == "chats"
                }
                return MailBytes.equalsIgnoringCase(bytes, 0..<bytes.count, "chat")
                    || MailBytes.equalsIgnoringCase(bytes, 0..<bytes.count, "chats")
            }
        }
    }

    private static let bulkPrecedences: Set<String> = ["bulk", "list", "junk"]
    private static let noReplyLocalParts: Set<String> = [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "mailer-daemon",
        "notifications", "notification", "notify", "bounce", "bounces", "newsletter", "postmaster",
    ]
    private static let noReplyPrefixes = [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
    ]
    private static let noReplyLocalPartBytes = noReplyLocalParts.map { Array($0.utf8) }
    private static let noReplyPrefixBytes = noReplyPrefixes.map { Array($0.utf8) }

    static func isNoReply(_ address: String) -> Bool {
        var address = address
        return address.withUTF8 { bytes in
            // Every message's From is checked, so ASCII addresses (nearly all) are read on bytes, where each byte is
            // a `Character`; others with `Character`s and Unicode lowercasing.
            guard MailBytes.isSingleByteText(bytes) else { return isNoReplyByCharacter(MailBytes.string(bytes)) }
            guard let at = bytes.lastIndex(of: 0x40) else { return false }
            var local = 0..<at
            if local.first.map({ bytes[$0] == 0x3C }) == true { local = local.dropFirst() }
            if let plus = MailBytes.firstIndex(of: 0x2B, in: bytes, local) { local = local.lowerBound..<plus }
            return noReplyLocalPartBytes.contains { MailBytes.equalsIgnoringCase(bytes, local, $0) }
                || noReplyPrefixBytes.contains { prefix in
                    local.count >= prefix.count
                        && MailBytes.equalsIgnoringCase(
                            bytes, local.lowerBound..<(local.lowerBound + prefix.count), prefix)
                }
        }
    }

    private static func isNoReplyByCharacter(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        var local = address[..<at].lowercased()
        if local.hasPrefix("<") { local.removeFirst() }
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        return noReplyLocalParts.contains(local) || noReplyPrefixes.contains { local.hasPrefix($0) }
    }
}

/// What `MboxReader.next()` reads: a message's headers, or a record it had to pass over and why.
public enum MboxItem: Sendable {
    case message(MailHeaders)
    /// `line` is the record's "From " line; `reason` is a sentence for the import report.
    case skipped(line: Int, reason: String)
}
