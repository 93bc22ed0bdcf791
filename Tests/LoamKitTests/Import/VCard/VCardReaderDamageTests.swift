import Foundation
import LoamKit
import Testing

@Suite("vCard reader: damaged, foreign and large files")
struct VCardReaderDamageTests {
    typealias F = VCardFixtures

    @Test(
        "A card with no END before the next BEGIN is skipped; a line that is no property loses only itself; stray lines are one skip"
    )
    func malformed() throws {
        let items = try F.items("malformed.vcf")
        try #require(items.count == 5)
        #expect(items[0].card?.formattedName == "Complete One")
        #expect(items[0].card?.line == 1)
        #expect(items[1].skippedLine == 5)
        #expect(items[1].skippedReason?.contains("END:VCARD") == true)
        let after = try #require(items[2].card)
        #expect(after.line == 9)
        #expect(after.formattedName == "After The Unended")
        #expect(after.emails.map(\.value) == ["after@example.com"])
        #expect(after.birthday == nil)
        #expect(items[3].skippedLine == 16)
        #expect(items[3].skippedReason == "2 lines outside any card")
        #expect(items[4].card?.formattedName == "Last One")
        #expect(items[4].card?.line == 18)
    }

    @Test("A file cut in the middle of a card yields the whole cards, then a skip for the cut one")
    func truncated() throws {
        let reader = try VCardReader(path: F.path("truncated.vcf"))
        var items: [VCardItem] = []
        var progress: [Int64] = []
        while let item = try reader.next() {
            items.append(item)
            progress.append(reader.bytesRead)
        }
        try #require(items.count == 3)
        #expect(items.map(\.card?.formattedName) == ["First Whole", "Second Whole", nil])
        #expect(items[2].skippedLine == 9)
        #expect(items[2].skippedReason?.contains("ends") == true)
        #expect(progress == progress.sorted() && progress.first! > 0)
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(try reader.next() == nil)
    }

    @Test(
        "A file that is not a vCard throws notThisFormat, whatever its name; a missing file or a folder is unreadable")
    func notThisFormat() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<512).map { UInt8(($0 * 37) % 256) }
        let foreign: [[UInt8]] = [
            png,
            Array("From dana@example.org Mon Jan  1 00:00:00 2024\nSubject: hi\n\nhello\n".utf8),
            Array("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".utf8),
            Array("Name,Email\nDana,dana@example.org\n".utf8),
            Array("VERSION:3.0\r\nBEGIN:VCARD\r\n".utf8),
            [],
        ]
        for bytes in foreign {
            let path = try F.temporaryFile(bytes, name: "contacts.vcf")
            #expect(throws: ImportFileError.notThisFormat(expected: "vcard")) { try VCardReader(path: path) }
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).vcf")
        #expect(throws: ImportFileError.self) { try VCardReader(path: missing.path) }
        #expect {
            try VCardReader(path: missing.path)
        } throws: { error in
            if case .unreadable = error as? ImportFileError { return true }
            return false
        }
        #expect {
            try VCardReader(path: F.folder.path)
        } throws: { error in
            if case .unreadable = error as? ImportFileError { return true }
            return false
        }
    }

    @Test(
        "5,000 generated cards across many chunks: every one read, with its BEGIN line, and bytesRead reaches the size")
    func fiveThousandCards() throws {
        var text = "\u{FEFF}"
        for index in 0..<5000 {
            // 8 physical lines a card (the NOTE is folded inside its "é"), CRLF endings.
            text += "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-\(index)\r\nFN:Ren\u{E9}e Nummer \(index)\r\n"
            text += "EMAIL;TYPE=INTERNET;TYPE=WORK:renee.\(index)@example.com\r\n"
            text += "NOTE:caf\u{C3}\r\n \u{A9}\r\nEND:VCARD\r\n"
        }
        // The NOTE's é is written as its two UTF-8 bytes split by a fold.
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.value == 0xC3 || scalar.value == 0xA9, scalar.value < 0x100 {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        let path = try F.temporaryFile(bytes)
        #expect(bytes.count > 10 * 64 * 1024)

        let reader = try VCardReader(path: path)
        var cards: [VCardRecord] = []
        var skipped = 0
        while let item = try reader.next() {
            if let card = item.card { cards.append(card) } else { skipped += 1 }
        }
        #expect(skipped == 0)
        try #require(cards.count == 5000)
        #expect(cards.map(\.line) == (0..<5000).map { 1 + $0 * 8 })
        #expect(cards.map(\.uid) == (0..<5000).map { "card-\($0)" })
        #expect(cards.allSatisfy { $0.note == "café" })
        #expect(cards[4321].formattedName == "Renée Nummer 4321")
        #expect(cards[4321].emails == [VCardValue(value: "renee.4321@example.com", label: "work")])
        #expect(reader.totalBytes == Int64(bytes.count))
        #expect(reader.bytesRead == reader.totalBytes)
    }

    @Test("A photo on one line of several megabytes is measured without being kept; an over-long note is dropped alone")
    func longLines() throws {
        let photo = Data(count: 3 << 20).base64EncodedString()  // 3 MiB decoded, 4 MiB of base64 on one line
        let note = String(repeating: "x", count: 2 << 20)
        let path = try F.temporaryFile(
            "BEGIN:VCARD\nVERSION:2.1\nFN:Big Photo\nPHOTO;ENCODING=BASE64;JPEG:\(photo)\n\nNOTE:\(note)\nTEL:+1 555 0100\nEND:VCARD\n"
        )
        let items = try F.items(atPath: path)
        try #require(items.count == 1)
        let card = try #require(items[0].card)
        #expect(card.photoBytes == 3 << 20)
        #expect(card.note == nil)
        #expect(card.phones.map(\.value) == ["+1 555 0100"])
    }

    @Test("detect() reads the first bytes: BOM, blank lines and case are allowed; anything else is nil")
    func detect() {
        func detect(_ text: String, bom: Bool = false) -> ImportFormat? {
            ImportFormat.detect((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
        }
        #expect(detect("BEGIN:VCARD\r\nVERSION:3.0\r\n") == .vcard)
        #expect(detect("\r\n\r\n  begin:vcard\n", bom: true) == .vcard)
        #expect(detect("Begin:VCard") == .vcard)
        #expect(detect("BEGIN:VCALENDAR\r\n") == .ics)
        #expect(detect("\nbegin:vcalendar", bom: true) == .ics)
        #expect(detect("From dana@example.org Mon Jan  1 00:00:00 2024\n") == .mbox)
        #expect(detect("\n\nFrom dana@example.org Mon Jan  1 00:00:00 2024\n", bom: true) == .mbox)
        #expect(detect("VERSION:3.0\nBEGIN:VCARD") == nil)
        #expect(detect("BEGIN:VCAR") == nil)
        #expect(detect("") == nil)
        #expect(ImportFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF]) == nil)
    }
}
