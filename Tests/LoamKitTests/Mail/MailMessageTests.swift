import Foundation
import LoamKit
import Testing

@Suite("Mail message rendering")
struct MailMessageTests {
    func message(subject: String = "Welcome to Loam", body: String = "Hello\n", name: String? = "Loam") throws
        -> MailMessage
    {
        MailMessage(
            from: try MailAddress("loam@example.com", name: name),
            to: [try MailAddress("dana@example.org", name: "Dana Øster")],
            subject: subject, body: body, messageID: "abc123@example.com",
            date: Date(timeIntervalSince1970: 1_795_449_600))
    }

    func text(_ message: MailMessage) -> String { String(decoding: message.render(), as: UTF8.self) }

    func headers(_ message: MailMessage) -> [String] {
        let rendered = text(message)
        let head = rendered.components(separatedBy: "\r\n\r\n").first ?? ""
        return head.components(separatedBy: "\r\n")
    }

    @Test("Plain text, UTF-8, 8bit: the body's bytes are sent as they are, with CRLF line endings")
    func contentHeadersAndBody() throws {
        let body =
            "Hej Dana — välkommen!\nOpen this link:\n\nhttps://loam.example.com/invitations/q2Xv7cYl0bZ1m4k9PqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeF\n"
        let rendered = text(try message(body: body))
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(rendered.contains("Content-Transfer-Encoding: 8bit\r\n"))
        #expect(rendered.contains("MIME-Version: 1.0\r\n"))
        #expect(
            rendered.hasSuffix(
                "\r\n\r\nHej Dana — välkommen!\r\nOpen this link:\r\n\r\nhttps://loam.example.com/invitations/q2Xv7cYl0bZ1m4k9PqRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeF\r\n"
            ))
        #expect(!rendered.contains("quoted-printable") && !rendered.contains("base64"))
        // No bare LF anywhere.
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("Message-ID and Date are RFC 5322")
    func idAndDate() throws {
        let lines = headers(try message())
        #expect(lines.contains("Message-ID: <abc123@example.com>"))
        #expect(lines.contains("Date: Mon, 23 Nov 2026 16:00:00 +0000"))
    }

    @Test("Non-ASCII subjects and names become RFC 2047 encoded words that decode back exactly")
    func encodedWords() throws {
        let subject =
            "Ваше приглашение в Loam 🌱 — Zoë’s workspace, and quite a long subject line to force several words"
        let lines = headers(try message(subject: subject))
        let subjectLines = lines.drop { !$0.hasPrefix("Subject: ") }.prefix {
            $0.hasPrefix("Subject: ") || $0.hasPrefix(" ")
        }
        var decoded = ""
        for line in subjectLines {
            #expect(line.count <= 78)
            let word = line.replacingOccurrences(of: "Subject: ", with: "").trimmingCharacters(in: .whitespaces)
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst("=?utf-8?B?".count).dropLast(2))
            decoded += String(decoding: try #require(Data(base64Encoded: payload)), as: UTF8.self)
        }
        #expect(decoded == subject)
        #expect(lines.contains { $0.hasPrefix("To: =?utf-8?B?") && $0.hasSuffix("<dana@example.org>") })
    }

    @Test("Long ASCII subjects are folded at spaces; short ones are left alone")
    func folding() throws {
        let long = String(repeating: "stay in touch ", count: 12).trimmingCharacters(in: .whitespaces)
        let lines = headers(try message(subject: long))
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(headers(try message(subject: "Hi")).contains("Subject: Hi"))
    }

    @Test("Attack: line breaks in a subject or name cannot add a header")
    func headerInjection() throws {
        let lines = headers(try message(subject: "Hi\r\nBcc: victim@example.net", name: "Loam\nBcc: x@example.net"))
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
    }

    @Test(
        "Display names are always quoted, set apart from the header's own words",
        arguments: [("O'Neil, Dana", "\"O'Neil, Dana\""), ("Dana", "\"Dana\"")])
    func quoting(name: String, expected: String) throws {
        let m = MailMessage(
            from: try MailAddress("a@example.com", name: name), to: [try MailAddress("b@example.com")],
            subject: "x", body: "y", messageID: "m@example.com", date: Date())
        #expect(headers(m).contains("From: \(expected) <a@example.com>"))
    }

    @Test(
        "Addresses that could break a header are refused",
        arguments: [
            "no-at-sign", "two@@example.com", "a@b@c.com", "space in@example.com", "a@example.com\r\nBcc: x@y.com",
            "<a@example.com>", "@example.com", "a@", "a@nodot",
        ])
    func badAddresses(address: String) {
        #expect(throws: MailAddressError.self) { try MailAddress(address) }
    }

    @Test("LOAM_MAIL_FROM style values parse")
    func parse() throws {
        #expect(try MailAddress.parse("Loam <loam@example.com>") == MailAddress("loam@example.com", name: "Loam"))
        #expect(try MailAddress.parse("\"Loam, Inc\" <loam@example.com>").name == "Loam, Inc")
        #expect(try MailAddress.parse("loam@example.com").name == nil)
    }
}

@Suite("Links stand alone")
struct LinksStandAloneTests {
    @Test("A link alone on its line passes; a link inside a sentence does not")
    func rule() {
        #expect(MailMessage.linksStandAlone(in: "Open:\n\n  https://loam.example.com/a?b=c  \n\nThanks"))
        #expect(MailMessage.linksStandAlone(in: "No links here."))
        #expect(!MailMessage.linksStandAlone(in: "Open https://loam.example.com/a now"))
        #expect(!MailMessage.linksStandAlone(in: "https://a.example.com https://b.example.com"))
        #expect(!MailMessage.linksStandAlone(in: "(see https://loam.example.com)"))
    }
}
