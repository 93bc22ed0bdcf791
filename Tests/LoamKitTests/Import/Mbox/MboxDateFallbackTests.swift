import Foundation
import Testing

@testable import LoamKit

@Suite("mbox reader: messages without a readable Date")
struct MboxDateFallbackTests {
    private func read(_ text: String) throws -> [MailHeaders] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("undated-\(UUID().uuidString).mbox")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return messages(try readAll(path: path))
    }

    @Test("No Date: the envelope's date (asctime, or Gmail's with a zone), else the newest Received header's")
    func fallbacks() throws {
        let mails = try read(
            """
            From dana@example.com Tue Mar  3 10:15:00 2026
            From: Dana <dana@example.com>
            To: owner@example.com
            Subject: no date at all

            Hello.

            From 1612345678901234567@xxx Wed Mar 04 09:00:00 +0100 2026
            From: Eve <eve@example.com>
            To: owner@example.com
            Date: not a date

            Hi.

            From - garbage
            Received: from mx.example.com by mail.example.org; Thu, 5 Mar 2026 08:00:00 +0100
            Received: from older.example.com by mx.example.com;
            \tWed, 4 Mar 2026 23:00:00 +0100
            From: Mira <mira@example.com>
            To: owner@example.com

            Body.

            From - garbage
            From: Lee <lee@example.com>
            To: owner@example.com

            Nothing to date it by.

            """)
        #expect(mails.count == 4)
        #expect(mails[0].date == ISO8601DateFormatter().date(from: "2026-03-03T10:15:00Z"))
        #expect(mails[0].dateFallback == .envelope)
        #expect(mails[1].date == ISO8601DateFormatter().date(from: "2026-03-04T08:00:00Z"))
        #expect(mails[1].dateFallback == .envelope)
        #expect(mails[2].date == ISO8601DateFormatter().date(from: "2026-03-05T07:00:00Z"), "the newest, topmost one")
        #expect(mails[2].dateFallback == .received)
        #expect(mails[3].date == nil && mails[3].dateFallback == nil)
    }

    @Test("A readable Date is used as it is, whatever the envelope says")
    func dateWins() throws {
        let mails = try read(
            """
            From dana@example.com Tue Mar  3 10:15:00 2026
            From: Dana <dana@example.com>
            Date: Mon, 2 Mar 2026 12:00:00 +0000

            Hello.

            """)
        #expect(mails.first?.date == ISO8601DateFormatter().date(from: "2026-03-02T12:00:00Z"))
        #expect(mails.first?.dateFallback == nil)
    }
}
