import Foundation
import Testing

@testable import LoamKit

@Suite("mbox headers: encoded words, 8-bit bytes, addresses, dates, ids, bulk and chat")
struct MboxHeaderDecodingTests {
    // MARK: RFC 2047

    @Test("Encoded words in B and Q, UTF-8, Latin-1 and Windows-1252; the space between adjacent ones goes")
    func encodedWords() throws {
        let cases: [(String, String)] = [
            ("=?UTF-8?B?TcO2dGU=?=", "Möte"),
            ("=?utf-8?q?K=C3=A4se_und_Brot?=", "Käse und Brot"),
            ("=?ISO-8859-1?Q?Andr=E9?= =?ISO-8859-1?Q?_Gide?=", "André Gide"),
            ("=?windows-1252?Q?=93quoted=94_=80100?=", "“quoted” €100"),
            ("Re: =?UTF-8?B?w6k=?= and =?UTF-8?B?w6g=?=", "Re: é and è"),
            ("=?UTF-8?B?w6k=?=\t  =?UTF-8?B?w6g=?=", "éè"),
            ("=?utf-8*en?Q?Hello?=", "Hello"),
            ("=?UTF-8?B?w6k?=", "é"),  // padding missing, as some encoders write it
            ("plain =? not encoded ?= text", "plain =? not encoded ?= text"),
            ("=?bogus-charset?Q?caf=C3=A9?=", "café"),  // unknown charset: the bytes as raw header bytes
            ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="),
        ]
        for (raw, expected) in cases {
            #expect(MailHeaderText.decodeEncodedWords(raw) == expected, "\(raw)")
        }
    }

    @Test("A subject folded between encoded words comes out whole")
    func foldedEncodedSubject() throws {
        let headers = try #require(
            try parseHeaders("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=", "\t=?UTF-8?Q?_aus_K=C3=B6ln?="))
        #expect(headers.subject == "Grüße aus Köln")
    }

    @Test("Other charsets Foundation knows (ISO-8859-2, KOI8-R, Shift_JIS) decode")
    func otherCharsets() {
        #expect(MailHeaderText.decodeEncodedWords("=?ISO-8859-2?Q?=A3=F3d=BC?=") == "Łódź")
        #expect(MailHeaderText.decodeEncodedWords("=?KOI8-R?B?8NLJ18XU?=") == "Привет")
        #expect(MailHeaderText.decodeEncodedWords("=?Shift_JIS?B?gqA=?=") == "あ")
    }

    // MARK: 8-bit bytes

    @Test("Raw 8-bit header bytes: UTF-8 when valid, else Windows-1252/Latin-1; never dropped")
    func rawBytes() throws {
        let utf8 = try #require(try parseHeaders(bytes: Array("Subject: Grüße\nFrom: Jürgen <j@example.de>".utf8)))
        #expect(utf8.subject == "Grüße")
        #expect(utf8.from.first?.name == "Jürgen")
        let latin1 = try #require(
            try parseHeaders(
                bytes: Array("Subject: Gr".utf8) + [0xFC, 0xDF, 0x65, 0x20, 0x80] + Array("\nFrom: J".utf8) + [0xFC]
                    + Array("rgen <j@example.de>".utf8)))
        #expect(latin1.subject == "Grüße €")
        #expect(latin1.from == [MailboxAddress(name: "Jürgen", address: "j@example.de")])
        let garbage = try #require(try parseHeaders(bytes: Array("Subject: ".utf8) + [0xFF, 0xFE, 0x81, 0xC3]))
        #expect(garbage.subject?.count == 4)
    }

    // MARK: Addresses

    @Test("Address lists: quoted names with commas, comments, groups, bare and angle addresses, encoded names")
    func addressLists() {
        let cases: [(String, [MailboxAddress])] = [
            ("\"Oster, Dana\" <dana@example.com>", [.init(name: "Oster, Dana", address: "dana@example.com")]),
            ("dana@example.com (Dana Oster)", [.init(name: "Dana Oster", address: "dana@example.com")]),
            ("Dana Oster <dana@example.com> (work)", [.init(name: "Dana Oster", address: "dana@example.com")]),
            ("<dana@example.com>", [.init(name: nil, address: "dana@example.com")]),
            ("dana@example.com", [.init(name: nil, address: "dana@example.com")]),
            (
                "  dana@example.com  ,bo@example.net",
                [.init(address: "dana@example.com"), .init(address: "bo@example.net")]
            ),
            ("undisclosed-recipients:;", []),
            ("Team: a@x.com, b@y.com;", [.init(address: "a@x.com"), .init(address: "b@y.com")]),
            ("Team: a@x.com;, Carol <c@z.com>", [.init(address: "a@x.com"), .init(name: "Carol", address: "c@z.com")]),
            (
                "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>",
                [.init(name: "Jürgen Müller", address: "jm@example.de")]
            ),
            ("\"=?UTF-8?B?SsO8cmdlbg==?=\" <j@example.de>", [.init(name: "Jürgen", address: "j@example.de")]),
            ("'Dana Oster' <dana@example.com>", [.init(name: "Dana Oster", address: "dana@example.com")]),
            (
                "\"Dana \\\"D\\\" Oster\" <dana@example.com>",
                [.init(name: "Dana \"D\" Oster", address: "dana@example.com")]
            ),
            ("Oster, Dana <dana@example.com>", [.init(name: "Oster, Dana", address: "dana@example.com")]),
            ("\"john doe\"@example.com", [.init(address: "\"john doe\"@example.com")]),
            ("Dana Oster dana@example.com", [.init(name: "Dana Oster", address: "dana@example.com")]),
            ("<@relay.example:dana@example.com>", [.init(address: "dana@example.com")]),
            ("", []),
            ("\"\" <>", []),
        ]
        for (raw, expected) in cases {
            #expect(MailAddressList.parse(raw) == expected, "\(raw)")
        }
    }

    @Test("Every address header is read, and a repeated To adds up")
    func addressHeaders() throws {
        let headers = try #require(
            try parseHeaders(
                "From: A <a@example.com>", "To: b@example.com", "To: c@example.com", "Cc: d@example.com",
                "Bcc: e@example.com", "Reply-To: f@example.com", "Sender: g@example.com"))
        #expect(headers.from.map(\.address) == ["a@example.com"])
        #expect(headers.to.map(\.address) == ["b@example.com", "c@example.com"])
        #expect(headers.cc.map(\.address) == ["d@example.com"])
        #expect(headers.bcc.map(\.address) == ["e@example.com"])
        #expect(headers.replyTo.map(\.address) == ["f@example.com"])
        #expect(headers.sender.map(\.address) == ["g@example.com"])
    }

    @Test("Header names are case-insensitive, folds join with one space, lines that are no header are ignored")
    func unfolding() throws {
        let headers = try #require(
            try parseHeaders(
                "SUBJECT : one", "   two", "\tthree", "garbage line without colon", "message-id:<x@y>"))
        #expect(headers.subject == "one two three")
        #expect(headers.messageID == "x@y")
    }

    @Test("Every field the import reads is found whatever its case (names are matched on bytes, by length)")
    func fieldNamesInAnyCase() throws {
        let headers = try #require(
            try parseHeaders(
                "FROM: a@example.com", "TO: b@example.com", "CC: c@example.com", "BCC: d@example.com",
                "REPLY-TO: e@example.com", "SENDER: f@example.com", "DATE: Mon, 1 Jan 2024 12:00:00 +0000",
                "SUBJECT: s",
                "MESSAGE-ID: <m@x>", "IN-REPLY-TO: <r@x>", "REFERENCES: <p@x>", "LIST-ID: <l.x>",
                "LIST-UNSUBSCRIBE: <u>",
                "PRECEDENCE: first-class", "X-GMAIL-LABELS: Inbox", "X-Not-Read: ignored", "Tos: ignored@example.com"))
        #expect(
            [headers.from, headers.to, headers.cc, headers.bcc, headers.replyTo, headers.sender].map {
                $0.map(\.address)
            }
                == [
                    ["a@example.com"], ["b@example.com"], ["c@example.com"], ["d@example.com"], ["e@example.com"],
                    ["f@example.com"],
                ])
        #expect(headers.date == Date(timeIntervalSince1970: 1_704_110_400))
        #expect(
            headers.subject == "s" && headers.messageID == "m@x" && headers.inReplyTo == "r@x"
                && headers.references == ["p@x"])
        #expect(headers.listID == "l.x" && headers.listUnsubscribe == "<u>" && headers.precedence == "first-class")
        #expect(headers.gmailLabels == ["Inbox"])
    }

    // MARK: Dates

    @Test("Dates per RFC 5322 and the usual malformations")
    func dates() {
        let noon = Date(timeIntervalSince1970: 1_704_110_400)  // 2024-01-01 12:00:00 UTC
        let cases: [(String, Date?)] = [
            ("Mon, 1 Jan 2024 12:00:00 +0000", noon),
            ("1 Jan 2024 12:00:00 +0000", noon),
            ("Mon, 01 Jan 24 12:00:00 +0000", noon),
            ("Mon, 1 Jan 2024 12:00 GMT", noon),
            ("Mon, 1 Jan 2024 12:00:00 UTC", noon),
            ("Mon, 1 Jan 2024 07:00:00 EST", noon),
            ("Mon, 1 Jan 2024 04:00:00 PST", noon),
            ("Mon, 1 Jan 2024 05:00:00 PDT", noon),
            ("Mon, 1 Jan 2024 13:00:00 +0100 (CET)", noon),
            ("Mon, 1 Jan 2024 13:00:00 (CET)", noon),
            ("Mon,  1 Jan 2024 12:00:00 -0000", noon),
            ("Mon, 1 Jan 2024 17:30:00 +0530", noon),
            ("Mon Jan  1 12:00:00 2024", noon),
            ("Mon, 1 January 2024 12:00:00 +0000", noon),
            ("Mon, 1 Jan 2024 12:00:00.123 +0000", noon),
            ("Mon, 1 Jan 2024 12:00:00 GMT+0100", Date(timeIntervalSince1970: 1_704_106_800)),
            ("Mon, 1 Jan 2024 12:00:00 PM +0000", noon),
            ("2024-01-01T12:00:00Z", noon),
            ("Thu, 1 Jan 98 00:00:00 +0000", Date(timeIntervalSince1970: 883_612_800)),
            ("31 Feb 2024 12:00:00 +0000", nil),
            ("Mon, 1 Jan 2024 25:00:00 +0000", nil),
            ("yesterday", nil),
            ("", nil),
        ]
        for (raw, expected) in cases {
            #expect(MailDate.parse(raw) == expected, "\(raw)")
        }
    }

    @Test(
        "A missing or unparseable Date header gives no date of its own: the message is still read, dated by its envelope"
    )
    func missingDate() throws {
        for headers in [try parseHeaders("Subject: x"), try parseHeaders("Date: sometime soon")] {
            let headers = try #require(headers)
            #expect(headers.dateFallback == .envelope)
            #expect(
                headers.date == Date(timeIntervalSince1970: 1_704_067_200), "the envelope's Mon Jan  1 00:00:00 2024")
        }
    }

    // MARK: Ids, lists, labels

    @Test("Message-ID, In-Reply-To and References lose their angle brackets")
    func messageIDs() throws {
        let headers = try #require(
            try parseHeaders(
                "Message-ID: <abc.123@mail.example.com>", "In-Reply-To: <p1@x> (Dana's message of Monday)",
                "References: <p0@x>", " <p1@x>"))
        #expect(headers.messageID == "abc.123@mail.example.com")
        #expect(headers.inReplyTo == "p1@x")
        #expect(headers.references == ["p0@x", "p1@x"])
        let bare = try #require(try parseHeaders("Message-Id: no-brackets@example.com"))
        #expect(bare.messageID == "no-brackets@example.com")
    }

    @Test("X-Gmail-Labels split on commas outside quotes, trimmed, quotes removed")
    func gmailLabels() throws {
        let headers = try #require(
            try parseHeaders("X-Gmail-Labels: Archived, \"Family, close\" ,Opened,Category Updates"))
        #expect(headers.gmailLabels == ["Archived", "Family, close", "Opened", "Category Updates"])
        #expect(!headers.isChat)
        #expect(try #require(try parseHeaders("X-Gmail-Labels: Chats,Opened")).isChat)
    }

    @Test("Bulk: List-Id, List-Unsubscribe, Precedence bulk/list/junk, or a no-reply sender; a person is not bulk")
    func bulk() throws {
        let bulk: [[String]] = [
            ["From: a@example.com", "List-Id: <list.example.com>"],
            ["From: a@example.com", "List-Unsubscribe: <https://example.com/u>"],
            ["From: a@example.com", "Precedence: Bulk"],
            ["From: a@example.com", "Precedence: list"],
            ["From: a@example.com", "Precedence: junk"],
            ["From: Shop <NoReply@shop.example>"],
            ["From: no-reply@example.com"],
            ["From: DoNotReply@bank.example"],
            ["From: do-not-reply@example.com"],
            ["From: MAILER-DAEMON@mx.example.com"],
            ["From: GitHub <notifications@github.com>"],
            ["From: dana@example.com", "Sender: noreply+abc@lists.example.com"],
            // A bounce from the null sender: its recipient is not someone the owner knows.
            ["From: MAILER DAEMON <>", "To: dana@example.com"],
            ["From: Mail Delivery System < >", "To: dana@example.com"],
        ]
        for lines in bulk {
            let headers = try #require(try parseHeaders(bytes: Array(lines.joined(separator: "\n").utf8)))
            #expect(headers.isBulk, "\(lines)")
        }
        let person = try #require(
            try parseHeaders(
                "From: Dana <dana@example.com>", "Precedence: first-class",
                "Reply-To: noreply@example.com"))
        #expect(!person.isBulk)
        #expect(try #require(try parseHeaders("From: reply@example.com")).isBulk == false)
        // No address at all is not the null sender: nothing says it is a machine.
        #expect(try #require(try parseHeaders("From: Dana", "To: eve@example.com")).isBulk == false)
    }
}
