import Foundation

/// A plain-text mail as Loam sends it: `text/plain; charset=utf-8`, `8bit`, never quoted-printable
/// or base64, so every link in the body stays intact and clickable on its own line.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    /// The text; line endings are normalized to CRLF when rendered. Put each link on its own line.
    public var body: String
    /// Without angle brackets, e.g. `0b9e…@loam.example.com`. The same id on every attempt lets a
    /// recipient (or a test) recognise a retry after a crash.
    public var messageID: String
    public var date: Date
    /// Extra headers such as `List-Unsubscribe`; line breaks in values are removed.
    public var extraHeaders: [(String, String)]

    public init(
        from: MailAddress, to: [MailAddress], subject: String, body: String, messageID: String, date: Date,
        extraHeaders: [(String, String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
        self.extraHeaders = extraHeaders
    }

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.render() == rhs.render()
    }

    /// The message as RFC 5322 bytes with CRLF line endings.
    public func render() -> [UInt8] {
        var lines: [String] = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(HeaderEncoding.mailbox(from))",
            "To: \(to.map(HeaderEncoding.mailbox).joined(separator: ", "))",
            "Subject: \(HeaderEncoding.unstructured(subject, headerNameLength: "Subject: ".count))",
            "Message-ID: <\(messageID.strippingLineBreaks())>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        for (name, value) in extraHeaders {
            let safeName = String(name.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != ":" })
            lines.append("\(safeName): \(HeaderEncoding.unstructured(value, headerNameLength: safeName.count + 2))")
        }
        var text = lines.joined(separator: "\r\n") + "\r\n\r\n"
        text += Self.normalizeLineEndings(body)
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        return Array(text.utf8)
    }

    /// True when every line holding a link holds nothing else: mail clients then make the whole
    /// link clickable, and no client wraps it in the middle.
    public static func linksStandAlone(in body: String) -> Bool {
        for line in body.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.contains("http://") || trimmed.contains("https://") else { continue }
            let isSingleLink =
                (trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"))
                && !trimmed.contains(where: \.isWhitespace)
            if !isSingleLink { return false }
        }
        return true
    }

    static func normalizeLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// `Mon, 23 Nov 2026 16:05:00 +0000`, always in UTC and in English whatever the locale.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[(c.weekday ?? 1) - 1]), \(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
