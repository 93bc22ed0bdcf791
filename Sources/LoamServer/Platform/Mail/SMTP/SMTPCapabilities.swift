/// The ESMTP extensions a server lists in its EHLO reply, as far as this client uses them.
struct SMTPCapabilities: Sendable, Equatable {
    var startTLS = false
    var eightBitMIME = false
    var smtpUTF8 = false
    var authMechanisms: Set<String> = []
    /// The largest message the server accepts, when it says (`SIZE 0` means no limit).
    var maximumSize: Int?

    init() {}

    /// Reads the lines after the greeting line of a `250` EHLO reply; keywords are case-insensitive.
    init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            switch keyword {
            case "STARTTLS": startTLS = true
            case "8BITMIME": eightBitMIME = true
            case "SMTPUTF8": smtpUTF8 = true
            // Old servers write `AUTH=LOGIN PLAIN`; splitting on "=" reads both spellings.
            case "AUTH": authMechanisms.formUnion(words.dropFirst())
            case "SIZE":
                if words.count > 1, let size = Int(words[1]), size > 0 { maximumSize = size }
            default: break
            }
        }
    }
}
