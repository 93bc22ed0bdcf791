import NIOCore
import Testing

@testable import LoamServer

@Suite("SMTP wire format")
struct SMTPProtocolTests {
    private func encoded(_ text: String) -> String {
        var buffer = SMTPDataEncoder.encode(Array(text.utf8))
        return buffer.readString(length: buffer.readableBytes)!
    }

    @Test func lineEndingsBecomeCRLF() {
        #expect(encoded("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd\r\n.\r\n")
        #expect(encoded("a\r\r\nb\n\n") == "a\r\n\r\nb\r\n\r\n.\r\n")
    }

    @Test func leadingDotsAreStuffed() {
        #expect(encoded(".\n..x\ny.z\n.") == "..\r\n...x\r\ny.z\r\n..\r\n.\r\n")
        #expect(encoded("a\r.b") == "a\r\n..b\r\n.\r\n")
    }

    @Test func emptyAndTerminatedMessages() {
        #expect(encoded("") == ".\r\n")
        #expect(encoded("x\r\n") == "x\r\n.\r\n")
    }

    @Test func replyLines() {
        let continuation = SMTPReplyLine(Array("250-PIPELINING".utf8))
        #expect(continuation?.code == 250)
        #expect(continuation?.isLast == false)
        #expect(continuation?.text == "PIPELINING")
        #expect(SMTPReplyLine(Array("250 OK".utf8))?.isLast == true)
        #expect(SMTPReplyLine(Array("354".utf8))?.code == 354)
        #expect(SMTPReplyLine(Array("25".utf8)) == nil)
        #expect(SMTPReplyLine(Array("250x".utf8)) == nil)
        #expect(SMTPReplyLine(Array("hello".utf8)) == nil)
        #expect(SMTPReplyLine(Array("650 no".utf8)) == nil)
    }

    @Test func enhancedCodes() {
        #expect(SMTPReply(code: 550, lines: ["5.1.1 Mailbox unavailable"]).enhancedCode == "5.1.1")
        #expect(SMTPReply(code: 250, lines: ["OK"]).enhancedCode == nil)
        #expect(SMTPReply(code: 250, lines: ["1.2.3.4 is you"]).enhancedCode == nil)
    }

    @Test func capabilities() {
        let reply = SMTPReply(
            code: 250,
            lines: [
                "mx.example.com", "SIZE 1000", "8bitmime", "SMTPUTF8", "STARTTLS", "AUTH=LOGIN", "AUTH PLAIN CRAM-MD5",
            ])
        let capabilities = SMTPCapabilities(ehloReply: reply)
        #expect(capabilities.startTLS)
        #expect(capabilities.eightBitMIME)
        #expect(capabilities.smtpUTF8)
        #expect(capabilities.maximumSize == 1000)
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
        // The greeting line is not an extension, even when it looks like one.
        #expect(!SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["STARTTLS"])).startTLS)
    }

    @Test func classification() {
        #expect(SMTPError.rejected(stage: .rcptTo, code: 451, enhancedCode: nil, recipientIndex: 0).isTransient)
        #expect(!SMTPError.rejected(stage: .rcptTo, code: 550, enhancedCode: "5.1.1", recipientIndex: 0).isTransient)
        #expect(!SMTPError.rejected(stage: .auth, code: 535, enhancedCode: nil, recipientIndex: nil).isTransient)
        #expect(SMTPError.timedOut(stage: .greeting).isTransient)
        #expect(SMTPError.connectionFailed(reason: "refused").isTransient)
        #expect(SMTPError.tls(stage: .ehlo, reason: "x").isTransient)
        #expect(!SMTPError.credentialsInClear.isTransient)
        #expect(!SMTPError.invalidEnvelope(reason: "x").isTransient)
    }

    @Test func envelopeValidation() {
        let message = Array("Subject: x\r\n\r\nbody\r\n".utf8)
        #expect(throws: Never.self) {
            try SMTPEnvelope(from: "", recipients: ["a@example.com"], message: message).validate()
        }
        for envelope in [
            SMTPEnvelope(from: "a@example.com", recipients: [], message: message),
            SMTPEnvelope(from: "a@example.com", recipients: [""], message: message),
            SMTPEnvelope(
                from: "a@example.com\r\nRCPT TO:<evil@example.com>", recipients: ["b@example.com"], message: message),
            SMTPEnvelope(from: "a@example.com", recipients: ["b@example.com> NOTIFY=NEVER"], message: message),
        ] {
            #expect(throws: SMTPError.self) { try envelope.validate() }
        }
        #expect(SMTPEnvelope(from: "a@example.com", recipients: ["jürgen@example.com"], message: message).needsSMTPUTF8)
        #expect(!SMTPEnvelope(from: "a@example.com", recipients: ["b@example.com"], message: message).needsSMTPUTF8)
    }
}
