import Foundation
import LoamKit
import Testing

@Suite("Contacts CSV readers: damaged, foreign and large files")
struct ContactsCSVDamageTests {
    typealias F = CSVFixtures

    @Test(
        "Malformed rows are skipped with their line and reading goes on: a stray line, an unquoted comma, a row naming nobody"
    )
    func malformed() throws {
        let items = try F.items(.linkedin, "malformed.csv")
        #expect(items.map { $0.csvContact?.line ?? -($0.csvSkippedLine ?? 0) } == [2, -3, -4, 5, 7, 8, 9, -11, 12])
        #expect(items[1].csvSkippedReason?.contains("one field") == true)
        #expect(items[2].csvSkippedReason?.contains("8 fields") == true)
        #expect(items[3].csvContact?.familyName == "Quote\"Inside")
        #expect(items[4].csvContact?.familyName == "Lone CR")  // its row ended with a lone CR
        #expect(items[5].csvContact?.connectedAt == nil)
        #expect(items[6].csvContact?.familyName == "Multi\nLine")
        #expect(items[8].csvContact?.displayName == "Gus Last")
    }

    @Test("A file cut inside a quoted note yields the whole rows, then the cut row skipped; bytesRead reaches the size")
    func truncated() throws {
        let reader = try GoogleContactsCSVReader(source: ByteArraySource(try F.bytes("truncated.csv")))
        var items: [ContactItem] = []
        var progress: [Int64] = []
        while let item = try reader.next() {
            items.append(item)
            progress.append(reader.bytesRead)
        }
        try #require(items.count == 3)
        #expect(items[0].csvContact?.csvEmails == ["whole.one@example.com"])
        #expect(items[1].csvContact?.line == 4)
        #expect(items[2].csvSkippedLine == 5)
        #expect(items[2].csvSkippedReason?.contains("ends") == true)
        #expect(progress == progress.sorted())
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(try reader.next() == nil)
    }

    @Test("Each fixture is taken by its own reader only; foreign and binary files throw notThisFormat")
    func notThisFormat() throws {
        let own: [F.Flavour: [String]] = [
            .linkedin: ["linkedin-current.csv", "linkedin-older.csv", "malformed.csv"],
            .google: ["google-current.csv", "google-older.csv", "google-older-utf16.csv", "truncated.csv"],
            .outlook: ["outlook-web.csv", "outlook-desktop-1252.csv"],
        ]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<4096).map { UInt8(($0 * 37) % 256) }
        let foreign: [[UInt8]] = [
            png, [], [0xEF, 0xBB, 0xBF], Array(repeating: 0x22, count: 10_000), Array(repeating: 0x2C, count: 10_000),
            Array("From dana@example.org Mon Jan  1 00:00:00 2024\nSubject: hi\n\nhello\n".utf8),
            Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana\r\nEND:VCARD\r\n".utf8),
            Array("Name,Email\nDana,dana@example.org\n".utf8),
            Array("{\"friends_v2\": []}".utf8),
        ]
        for flavour in F.Flavour.allCases {
            for (other, files) in own where other != flavour {
                for file in files {
                    #expect(throws: ImportFileError.notThisFormat(expected: flavour.rawValue), "\(flavour) \(file)") {
                        _ = try flavour.reader(ByteArraySource(try F.bytes(file)))
                    }
                    #expect(!flavour.looksLike(try F.bytes(file)))
                }
            }
            for bytes in foreign {
                #expect(throws: ImportFileError.notThisFormat(expected: flavour.rawValue)) {
                    _ = try flavour.reader(ByteArraySource(bytes))
                }
            }
        }
    }

    @Test("Random bytes after a real header: every reader reaches the end without a crash, bytesRead == totalBytes")
    func junkAfterHeader() throws {
        var generator = SystemRandomNumberGenerator()
        let headers = [
            F.Flavour.linkedin: "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
            .google: "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Notes\n",
            .outlook: "\"First Name\",\"Last Name\",\"E-mail Address\",\"Birthday\"\n",
        ]
        for (flavour, header) in headers {
            for _ in 0..<20 {
                let junk = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let reader = try flavour.reader(TrickleSource(Array(header.utf8) + junk, chunk: 4099))
                while try reader.next() != nil {}
                #expect(reader.bytesRead() == reader.totalBytes)
            }
        }
    }

    @Test(
        "20,000 generated Google rows with multi-line notes: every one read with its line, bytesRead ends at the size")
    func twentyThousandRows() throws {
        var text =
            "\u{FEFF}First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Notes\r\n"
        for index in 0..<20_000 {
            let note = index % 3 == 0 ? "\"Note for \(index),\r\nsecond line \"\"quoted\"\"\"" : ""
            text += "Given\(index),Family\(index),* Home,p\(index)@example.com,Mobile,+1 555 \(index),\(note)\r\n"
        }
        let reader = try GoogleContactsCSVReader(source: ByteArraySource(Array(text.utf8)))
        var count = 0
        var expectedLine = 2
        var linesRight = true
        var lastProgress: Int64 = 0
        while let item = try reader.next() {
            guard let contact = item.csvContact else {
                Issue.record("skipped: \(item.csvSkippedReason ?? "")")
                continue
            }
            linesRight = linesRight && contact.line == expectedLine && contact.givenName == "Given\(count)"
            expectedLine += count % 3 == 0 ? 2 : 1
            count += 1
            #expect(reader.bytesRead >= lastProgress)
            lastProgress = reader.bytesRead
        }
        #expect(count == 20_000)
        #expect(linesRight)
        #expect(reader.bytesRead == reader.totalBytes)
        #expect(reader.totalBytes > 20 * 64 * 1024)
    }

    @Test("The readers stream: a 6 MB file is never pulled more than two chunks ahead of the rows handed out")
    func streams() throws {
        var text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        for index in 0..<60_000 {
            text += "G\(index),F\(index),https://www.linkedin.com/in/p\(index),,Company \(index),Role,05 Dec 2025\n"
        }
        let source = PullCountingSource(Array(text.utf8))
        let reader = try LinkedInConnectionsReader(source: source)
        var furthestAhead: Int64 = 0
        var count = 0
        while try reader.next() != nil {
            furthestAhead = max(furthestAhead, source.pulled - reader.bytesRead)
            count += 1
        }
        #expect(count == 60_000)
        #expect(furthestAhead <= 2 * 64 * 1024)
    }

    final class PullCountingSource: ImportByteSource {
        private let bytes: [UInt8]
        private(set) var pulled: Int64 = 0
        var size: Int64 { Int64(bytes.count) }

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(upToCount count: Int) throws -> [UInt8] {
            let start = Int(pulled)
            let end = min(bytes.count, start + count)
            pulled = Int64(end)
            return Array(bytes[start..<end])
        }

        func rewind() throws { pulled = 0 }
    }
}
