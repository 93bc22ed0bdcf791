import Foundation
import Testing

@testable import LoamKit

@Suite("mbox reader: boundaries, streaming, broken files")
struct MboxReaderTests {
    @Test("A Google Takeout mbox: labels and thread id before Delivered-To, a chat pseudo-message, line numbers")
    func takeout() throws {
        let items = try readAll(path: MboxFixtures.path("takeout.mbox"))
        let mails = messages(items)
        #expect(items.count == 2)
        #expect(mails.map(\.line) == [1, 16])
        let first = try #require(mails.first)
        #expect(first.gmailLabels == ["Inbox", "Important", "Work, 2024", "Opened"])
        #expect(first.from == [MailboxAddress(name: "Oster, Dana", address: "dana@example.com")])
        #expect(first.to == [MailboxAddress(name: nil, address: "owner@example.com")])
        #expect(first.subject == "Möte in Berlin nächste Woche")
        #expect(first.messageID == "CAB1234@mail.gmail.com")
        #expect(first.date == Date(timeIntervalSince1970: 1_704_129_301))
        #expect(!first.isChat)
        #expect(!first.isBulk)
        #expect(mails.last?.isChat == true)
        #expect(mails.last?.subject == nil)
    }

    @Test("A Thunderbird mbox: From - envelopes, >From and From-lines in a body are body, groups, comments, folding")
    func thunderbird() throws {
        let items = try readAll(path: MboxFixtures.path("thunderbird.mbox"))
        let mails = messages(items)
        #expect(items.count == 2)
        #expect(mails.map(\.line) == [1, 21])
        let first = try #require(mails.first)
        #expect(first.from == [MailboxAddress(name: "Dana Oster", address: "dana@example.com")])
        #expect(first.to == [])
        #expect(first.cc.map(\.address) == ["ali@example.org", "bo@example.net", "carol@example.com"])
        #expect(first.cc.map(\.name) == [nil, "Bo Berg", nil])
        #expect(first.subject == "A long subject that Thunderbird folds onto a second line")
        #expect(first.date == Date(timeIntervalSince1970: 1_707_912_000))
        #expect(first.references == ["a1@example.com", "a2@example.com"])
        #expect(first.inReplyTo == "a2@example.com")
        let digest = try #require(mails.last)
        #expect(digest.isBulk)
        #expect(digest.listID == "digest.news.example.com")
        #expect(digest.listUnsubscribe == "<mailto:unsubscribe@news.example.com>")
        #expect(digest.precedence == "bulk")
        #expect(digest.date == Date(timeIntervalSince1970: 1_707_982_200))
    }

    @Test("Body text never reaches a parsed field, even body lines that look like headers")
    func bodiesAreNotParsed() throws {
        for fixture in ["takeout.mbox", "thunderbird.mbox"] {
            let mails = messages(try readAll(path: MboxFixtures.path(fixture)))
            #expect(!mails.isEmpty)
            for mail in mails {
                #expect(!allText(mail).contains { $0.contains("BODYMARKER") || $0.contains("not-a-header") })
            }
        }
    }

    @Test("3,000 generated messages across many chunks: all read, with their From-line numbers, no body text")
    func manyMessages() throws {
        var text = ""
        var expectedLines: [Int] = []
        var line = 1
        for index in 0..<3000 {
            expectedLines.append(line)
            let bodyLines = index % 7 + 1
            text += "From sender\(index)@example.com Mon Jan  1 00:00:00 2024\n"
            text +=
                "From: Person \(index) <p\(index)@example.com>\nSubject: Message \(index)\nMessage-ID: <m\(index)@example.com>\n\n"
            for bodyLine in 0..<bodyLines { text += "BODYMARKER-\(index)-\(bodyLine) >From x\n" }
            text += "\n"
            line += 1 + 3 + 1 + bodyLines + 1
        }
        let file = try MboxTempFile(text)
        for chunkSize in [MboxReader.chunkSize, 4096, 17] {
            let reader = try MboxReader(path: file.path, chunkSize: chunkSize)
            let items = try readAll(reader)
            let mails = messages(items)
            #expect(items.count == 3000)
            #expect(mails.map(\.line) == expectedLines)
            #expect(mails.map(\.subject) == (0..<3000).map { "Message \($0)" })
            #expect(mails.map(\.messageID) == (0..<3000).map { "m\($0)@example.com" })
            #expect(!mails.contains { allText($0).contains { $0.contains("BODYMARKER") } })
            #expect(reader.bytesRead == reader.totalBytes)
            #expect(reader.totalBytes == Int64(text.utf8.count))
        }
    }

    @Test("Progress: bytesRead grows message by message up to totalBytes")
    func progress() throws {
        let file = try MboxTempFile("From a\nSubject: 1\n\nbody\n\nFrom b\nSubject: 2\n\nbody\n")
        let reader = try MboxReader(path: file.path)
        #expect(reader.bytesRead < reader.totalBytes)
        _ = try reader.next()
        let afterFirst = reader.bytesRead
        #expect(afterFirst == Int64("From a\nSubject: 1\n\nbody\n\n".utf8.count))
        _ = try reader.next()
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(try reader.next() == nil)
    }

    @Test("CRLF files read like LF files, with the same line numbers and no CR left in any value")
    func crlf() throws {
        let lf = try String(contentsOfFile: MboxFixtures.path("thunderbird.mbox"), encoding: .utf8)
        let file = try MboxTempFile(lf.replacingOccurrences(of: "\n", with: "\r\n"))
        let items = try readAll(path: file.path, chunkSize: 7)
        let mails = messages(items)
        #expect(items.count == 2)
        #expect(mails.map(\.line) == [1, 21])
        #expect(mails.first?.subject == "A long subject that Thunderbird folds onto a second line")
        #expect(mails.first?.from.first?.address == "dana@example.com")
        #expect(!mails.contains { allText($0).contains { $0.contains("\r") || $0.contains("BODYMARKER") } })
    }

    @Test("A UTF-8 byte order mark and blank lines before the first From line are skipped, line numbers still right")
    func preamble() throws {
        let file = try MboxTempFile([0xEF, 0xBB, 0xBF] + Array("\n\nFrom a\nSubject: hello\n\nbody\n".utf8))
        let mails = messages(try readAll(path: file.path))
        #expect(mails.map(\.line) == [3])
        #expect(mails.first?.subject == "hello")
    }

    @Test("A From line not preceded by a blank line is body text, not a new message")
    func fromWithoutBlankLine() throws {
        let file = try MboxTempFile(
            "From a\nSubject: one\n\nline\nFrom the start BODYMARKER\n\nFrom b\nSubject: two\n\n")
        let items = try readAll(path: file.path)
        let mails = messages(items)
        #expect(items.count == 2)
        #expect(mails.map(\.subject) == ["one", "two"])
        #expect(mails.map(\.line) == [1, 7])
    }

    @Test("A file cut in a header section gives the complete messages, then a skip for the cut one")
    func truncated() throws {
        let file = try MboxTempFile("From a\nSubject: whole\n\nbody\n\nFrom b\nSubject: cut\nTo: dana@exa")
        let items = try readAll(path: file.path)
        #expect(messages(items).map(\.subject) == ["whole"])
        #expect(skips(items).map(\.line) == [6])
        #expect(skips(items).map(\.reason) == ["the file ends in the middle of this message's headers"])
        #expect(items.count == 2)
    }

    @Test("A file cut right after a From line is a skipped record too")
    func truncatedAfterFromLine() throws {
        let file = try MboxTempFile("From a\nSubject: whole\n\n\nFrom b")
        let items = try readAll(path: file.path)
        #expect(messages(items).count == 1)
        #expect(skips(items).map(\.line) == [5])
    }

    @Test("A message with no header lines is skipped and reading goes on")
    func noHeaders() throws {
        let file = try MboxTempFile(
            "From a\n\nJust a body BODYMARKER\n\nFrom b\nnot a header line\n\nx\n\nFrom c\nSubject: fine\n\n")
        let items = try readAll(path: file.path)
        #expect(skips(items).map(\.line) == [1, 5])
        #expect(messages(items).map(\.subject) == ["fine"])
        #expect(messages(items).map(\.line) == [10])
    }

    @Test("A header section over 1 MiB is skipped without being kept, and the next message is read")
    func hugeHeaders() throws {
        var text = "From a\nSubject: huge\n"
        let longLine = "X-Junk: " + String(repeating: "y", count: 100_000) + "\n"
        for _ in 0..<11 { text += longLine }
        text += "\nbody\n\nFrom b\nSubject: after\n\n"
        let file = try MboxTempFile(text)
        let items = try readAll(path: file.path, chunkSize: 4096)
        #expect(skips(items).map(\.line) == [1])
        #expect(skips(items).first?.reason == "the header section is larger than 1 MiB")
        #expect(messages(items).map(\.subject) == ["after"])
        #expect(messages(items).map(\.line) == [17])
    }

    @Test("A From line inside a header section ends the cut message: it is skipped and the next one read")
    func fromInsideHeaders() throws {
        let file = try MboxTempFile("From a\nSubject: cut\nFrom b\nSubject: next\n\nbody\n")
        let items = try readAll(path: file.path)
        #expect(skips(items).map(\.line) == [1])
        #expect(messages(items).map(\.subject) == ["next"])
        #expect(messages(items).map(\.line) == [3])
    }

    @Test("A very long body line (no newline for megabytes) is skipped without trouble")
    func longBodyLine() throws {
        let text =
            "From a\nSubject: one\n\n" + String(repeating: "BODYMARKER", count: 300_000)
            + "\n\nFrom b\nSubject: two\n\n"
        let file = try MboxTempFile(text)
        let mails = messages(try readAll(path: file.path, chunkSize: 1000))
        #expect(mails.map(\.subject) == ["one", "two"])
        #expect(mails.map(\.line) == [1, 6])
    }

    @Test("Binary files and other formats are refused as not mbox; missing files and folders as unreadable")
    func refusals() throws {
        let binary = try MboxTempFile(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<500).map { UInt8($0 % 256) })
        #expect(throws: ImportFileError.notThisFormat(expected: "mbox")) { try MboxReader(path: binary.path) }
        let vcard = try MboxTempFile("BEGIN:VCARD\nVERSION:3.0\nFN:Dana\nEND:VCARD\n")
        #expect(throws: ImportFileError.notThisFormat(expected: "mbox")) { try MboxReader(path: vcard.path) }
        let prose = try MboxTempFile("Subject: no envelope\n\nFrom me\n")
        #expect(throws: ImportFileError.notThisFormat(expected: "mbox")) { try MboxReader(path: prose.path) }
        #expect(throws: ImportFileError.self) {
            try MboxReader(path: binary.folder.appendingPathComponent("missing").path)
        }
        #expect(throws: ImportFileError.self) { try MboxReader(path: binary.folder.path) }
    }

    @Test("An empty file (Thunderbird keeps one per empty folder) is an mbox with no messages")
    func emptyFile() throws {
        let file = try MboxTempFile([UInt8]())
        let reader = try MboxReader(path: file.path)
        #expect(try reader.next() == nil)
        #expect(reader.totalBytes == 0)
    }

    @Test("Error descriptions say what went wrong")
    func descriptions() {
        #expect(ImportFileError.notThisFormat(expected: "mbox").description.contains("mbox"))
        #expect(ImportFileError.truncated(line: 12).description.contains("12"))
        #expect(ImportFileError.unreadable("denied").description.contains("denied"))
    }
}
