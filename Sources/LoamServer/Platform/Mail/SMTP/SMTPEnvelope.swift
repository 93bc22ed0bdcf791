/// One mail to hand to the relay: the envelope addresses and the complete RFC 5322 message (headers and body).
struct SMTPEnvelope: Sendable, Equatable {
    var from: String
    var recipients: [String]
    /// Line endings may be LF, CR or CRLF: the client sends CRLF and dot-stuffs (`SMTPDataEncoder`).
    var message: [UInt8]

    init(from: String, recipients: [String], message: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.message = message
    }

    /// Whether any address needs the SMTPUTF8 extension.
    var needsSMTPUTF8: Bool {
        ([from] + recipients).contains { address in address.utf8.contains { $0 >= 0x80 } }
    }

    /// Refuses what would break the command line: an empty recipient list, or an address that could smuggle a
    /// second command (line breaks), break out of `<…>`, or is empty (except the null sender `<>`).
    func validate() throws(SMTPError) {
        guard !recipients.isEmpty else { throw .invalidEnvelope(reason: "no recipient") }
        for (index, address) in ([from] + recipients).enumerated() {
            let bad = address.unicodeScalars.contains { scalar in
                scalar.value < 0x20 || scalar.value == 0x7F || scalar == "<" || scalar == ">" || scalar == " "
            }
            if bad || (index > 0 && address.isEmpty) {
                let which = index == 0 ? "sender" : "recipient #\(index)"
                throw .invalidEnvelope(reason: "\(which) is not a valid address")
            }
        }
    }
}
