import Foundation

/// Where a message's time came from when its Date header was missing or unreadable.
public enum MailDateFallback: String, Sendable, Codable {
    /// The mbox envelope: the date on the "From " line that starts the message.
    case envelope
    /// The newest (topmost) Received header: when the owner's server took the message.
    case received
}

extension MailHeaders {
    /// Dates a message whose Date header is missing or unreadable from the raw header `section` (the "From " line
    /// first, then the header lines): the envelope's date, else the newest Received header's. Only such messages pay
    /// for it; a message that still has no date stays undated.
    mutating func recoverDate(fromSection section: MailByteBuffer) {
        guard date == nil else { return }
        if let envelope = Self.envelopeDate(section) {
            date = envelope
            dateFallback = .envelope
        } else if let received = Self.newestReceivedDate(section) {
            date = received
            dateFallback = .received
        }
    }

    /// "From sender Tue Mar  3 10:15:00 2026" (asctime, UTC) or Gmail's "From 123@xxx Tue Mar 03 10:15:00 +0000 2026":
    /// the date after the sender.
    static func envelopeDate(_ section: MailByteBuffer) -> Date? {
        let end = MailBytes.firstIndex(of: 0x0A, in: section, 0..<section.count) ?? section.count
        let line = MailBytes.string(section, 0..<end).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("From ") else { return nil }
        let rest = line.dropFirst(5).drop(while: { $0 == " " })
        guard let space = rest.firstIndex(of: " ") else { return nil }
        return MailDate.parse(String(rest[space...]).trimmingCharacters(in: .whitespaces))
    }

    /// The date after the last ";" of the first Received header (continuation lines joined).
    static func newestReceivedDate(_ section: MailByteBuffer) -> Date? {
        let text = MailBytes.string(section, 0..<section.count)
        var value: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if var collected = value {
                guard line.first == " " || line.first == "\t" else { break }
                collected += " " + line.trimmingCharacters(in: .whitespaces)
                value = collected
            } else if line.lowercased().hasPrefix("received:") {
                value = String(line.dropFirst("received:".count))
            }
        }
        guard let value, let semicolon = value.lastIndex(of: ";") else { return nil }
        return MailDate.parse(String(value[value.index(after: semicolon)...]).trimmingCharacters(in: .whitespaces))
    }
}
