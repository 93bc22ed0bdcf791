import Foundation
import Testing

@testable import LoamKit

/// Every input of the checked-in fuzz corpora (`Tests/Fixtures/fuzz/<format>/`, grown by `scripts/fuzz --merge`)
/// through its reader, the way the libFuzzer targets in `Fuzz/` feed them. CI builds no sanitizer build, so this is
/// what keeps the inputs that once found a crash, or reach rare code, guarding against its return.
@Suite("Fuzz corpora: every input read to its end", .timeLimit(.minutes(5)))
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    /// The corpus's files; fails the test when the folder is missing or empty (a corpus lost to a bad merge or
    /// a path change would otherwise pass by testing nothing).
    static func inputs(_ format: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = root.appendingPathComponent(format)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            .sorted()
        try #require(!names.isEmpty, "Tests/Fixtures/fuzz/\(format) holds no input")
        return try names.map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    /// What an import relies on, for one reader and one input: it ends, it throws nothing but `ImportFileError`,
    /// its progress never goes back nor past the size and ends at the size. Returns the records read.
    static func readToEnd<Item>(
        _ name: String, size: Int, totalBytes: Int64, bytesRead: () -> Int64, next: () throws -> Item?
    ) -> [Item] {
        #expect(totalBytes == Int64(size), "\(name): totalBytes")
        var items: [Item] = []
        var last: Int64 = 0
        do {
            while let item = try next() {
                items.append(item)
                let now = bytesRead()
                #expect(now >= last && now <= totalBytes, "\(name): bytesRead went from \(last) to \(now)")
                last = now
                // Every record consumes at least one byte; more records than bytes is a reader that stopped moving.
                guard items.count <= size + 1 else {
                    Issue.record("\(name): \(items.count) records from \(size) bytes")
                    return items
                }
            }
        } catch is ImportFileError {
            return items
        } catch {
            Issue.record("\(name): threw \(error), not an ImportFileError")
            return items
        }
        #expect(bytesRead() == totalBytes, "\(name): ended at byte \(bytesRead()) of \(totalBytes)")
        return items
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loam-fuzz-corpus-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    @Test("mbox corpus: each input read from a file by MboxReader, with the chunk size the fuzz target gives it")
    func mbox() throws {
        var messages = 0
        for (name, bytes) in try Self.inputs("mbox") {
            guard ImportFormat.detect(bytes) == .mbox else {
                // The fuzz target sends these through the header pieces instead; they must not trap.
                let text = MailHeaderText.decodeRaw(bytes.prefix(2048))
                _ = MailHeaderText.decodeEncodedWords(text)
                _ = MailAddressList.parse(text)
                _ = MailDate.parse(text)
                _ = MailHeaderParser.messageIDs(text)
                _ = MailHeaderParser.labels(text)
                continue
            }
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            let chunkSize = bytes[0] & 1 == 1 ? 16 + Int(bytes[0] >> 1) : MboxReader.chunkSize
            let reader = try MboxReader(path: file.path, chunkSize: chunkSize)
            let items = Self.readToEnd(
                name, size: bytes.count, totalBytes: reader.totalBytes, bytesRead: { reader.bytesRead },
                next: reader.next)
            messages += items.filter { if case .message = $0 { true } else { false } }.count
        }
        // The seeds include the Takeout and Thunderbird fixtures: a corpus that yields no message tests nothing.
        #expect(messages >= 5)
    }

    @Test("vCard corpus: each input read from a file by VCardReader; one refused is one detect() does not call vCard")
    func vCard() throws {
        var cards = 0
        for (name, bytes) in try Self.inputs("vcard") {
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            let reader: VCardReader
            do {
                reader = try VCardReader(path: file.path)
            } catch ImportFileError.notThisFormat {
                #expect(ImportFormat.detect(bytes) != .vcard, "\(name): refused though it starts as a vCard")
                continue
            }
            let items = Self.readToEnd(
                name, size: bytes.count, totalBytes: reader.totalBytes, bytesRead: { reader.bytesRead },
                next: reader.next)
            cards += items.filter { if case .card = $0 { true } else { false } }.count
        }
        #expect(cards >= 20)
    }

    @Test(
        "iCalendar corpus: each input read from a file by ICalendarReader (both passes) with the fuzz target's now and zone"
    )
    func iCalendar() throws {
        let now = Date(timeIntervalSince1970: 1_798_761_600)
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        var events = 0
        for (name, bytes) in try Self.inputs("ics") {
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            let reader: ICalendarReader
            do {
                reader = try ICalendarReader(path: file.path, now: now, floatingZone: zone)
            } catch ImportFileError.notThisFormat {
                #expect(ImportFormat.detect(bytes) != .ics, "\(name): refused though it starts as a calendar")
                continue
            }
            let items = Self.readToEnd(
                name, size: bytes.count, totalBytes: reader.totalBytes, bytesRead: { reader.bytesRead },
                next: reader.next)
            events += items.filter { if case .event = $0 { true } else { false } }.count
        }
        #expect(events >= 10)
    }

    @Test("RRULE corpus: each input parsed and expanded as the fuzz target does; starts bounded, in order, each once")
    func recurrence() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let floating = try #require(TimeZone(identifier: "America/New_York"))
        let end = Date(timeIntervalSince1970: 1_893_456_000)
        var expanded = 0
        for (name, bytes) in try Self.inputs("rrule") {
            // The layout of Fuzz/RecurrenceFuzzTarget.swift: DTSTART ("[TZID ]value"), then RDATE:/EXDATE:/RRULE lines.
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            let first = lines.isEmpty ? "" : lines.removeFirst()
            let parts = first.split(separator: " ", maxSplits: 1).map(String.init)
            let zoned =
                parts.count == 2
                ? TimeZone(identifier: parts[0]).flatMap { ICalDateTime.parse(parts[1], zone: $0) } : nil
            let dtstart =
                zoned ?? ICalDateTime.parse(first)
                ?? ICalDateTime(year: 2026, month: 1, day: 5, hour: 9, zone: .named(berlin))
            let timeZone: TimeZone? = if case .named(let zone) = dtstart.zone { zone } else { nil }
            func values(_ list: Substring) -> [ICalDateTime] {
                list.split(separator: ",").prefix(16).compactMap { ICalDateTime.parse(String($0), zone: timeZone) }
            }
            var rules: [RecurrenceRule] = []
            var rdates: [ICalDateTime] = []
            var exdates: [ICalDateTime] = []
            for line in lines.prefix(8) {
                if line.uppercased().hasPrefix("RDATE:") {
                    rdates += values(line.dropFirst(6))
                } else if line.uppercased().hasPrefix("EXDATE:") {
                    exdates += values(line.dropFirst(7))
                } else {
                    do {
                        rules.append(try RecurrenceRule.parse(line))
                    } catch is RecurrenceRuleError {
                        continue
                    } catch {
                        Issue.record("\(name): RecurrenceRule.parse threw \(error), not a RecurrenceRuleError")
                    }
                }
            }
            let starts = RecurrenceExpander.starts(
                dtstart: dtstart, rules: rules, rdates: rdates, exdates: exdates, through: end, floatingZone: floating,
                limit: 64)
            let instants = starts.compactMap { $0.date(floatingZone: floating) }
            #expect(starts.count <= 64, "\(name)")
            #expect(instants.count == starts.count, "\(name): a start names no instant")
            #expect(
                zip(instants, instants.dropFirst()).allSatisfy { $0 < $1 }, "\(name): starts out of order or repeated")
            #expect(instants.allSatisfy { $0 <= end }, "\(name): a start after the end")
            if !rules.isEmpty, starts.count > 1 { expanded += 1 }
        }
        // The seeds are RFC 5545's examples: most expand to several starts.
        #expect(expanded >= 10)
    }

    @Test("contacts CSV corpus: each input read from a file by the LinkedIn, Google and Outlook readers in turn")
    func contactsCSV() throws {
        let readers: [(name: String, open: (String) throws -> any ContactListReader)] = [
            ("LinkedIn", { try LinkedInConnectionsReader(path: $0) }),
            ("Google", { try GoogleContactsCSVReader(path: $0) }),
            ("Outlook", { try OutlookContactsCSVReader(path: $0) }),
        ]
        var contacts: [String: Int] = [:]
        for (name, bytes) in try Self.inputs("csv") {
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            for (readerName, open) in readers {
                // Refusing a file (not this export's header) or failing to read it is a message, as in the fuzz target;
                // any other error fails the test.
                let reader: any ContactListReader
                do { reader = try open(file.path) } catch is ImportFileError { continue }
                let items = Self.readToEnd(
                    "\(name) (\(readerName))", size: bytes.count, totalBytes: reader.totalBytes,
                    bytesRead: { reader.bytesRead }, next: reader.next)
                contacts[readerName, default: 0] += items.filter { if case .contact = $0 { true } else { false } }.count
            }
        }
        // The seeds include each exporter's fixtures: a reader that reads no contact from them tests nothing.
        #expect(contacts["LinkedIn", default: 0] >= 20)
        #expect(contacts["Google", default: 0] >= 20)
        #expect(contacts["Outlook", default: 0] >= 5)
    }

    @Test("JSON export corpus: each input read from a file by FacebookFriendsReader and by XFollowsReader")
    func contactsJSON() throws {
        let readers: [(name: String, open: (String) throws -> any ContactListReader)] = [
            ("Facebook", { try FacebookFriendsReader(path: $0) }),
            ("X", { try XFollowsReader(path: $0) }),
        ]
        var contacts: [String: Int] = [:]
        for (name, bytes) in try Self.inputs("json") {
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            for (readerName, open) in readers {
                let reader: any ContactListReader
                do { reader = try open(file.path) } catch is ImportFileError { continue }
                let items = Self.readToEnd(
                    "\(name) (\(readerName))", size: bytes.count, totalBytes: reader.totalBytes,
                    bytesRead: { reader.bytesRead }, next: reader.next)
                contacts[readerName, default: 0] += items.filter { if case .contact = $0 { true } else { false } }.count
            }
        }
        #expect(contacts["Facebook", default: 0] >= 25)
        #expect(contacts["X", default: 0] >= 12)
    }

    @Test(
        "zip corpus: each archive listed, every entry opened and read to its end; odd-length ones through a source that cannot seek"
    )
    func zipArchives() throws {
        var entriesRead = 0
        for (name, bytes) in try Self.inputs("zip") {
            let file = try Self.temporaryFile(bytes)
            defer { try? FileManager.default.removeItem(at: file) }
            // As the fuzz target does: odd-length inputs take the rewind-and-read-forward path of an upload's spool.
            let source: any ImportByteSource =
                bytes.count % 2 == 1 ? ForwardOnlySource(bytes) : try FileByteSource(path: file.path)
            let archive: ZipArchive
            do {
                archive = try ZipArchive(source: source)
            } catch is ImportFileError {
                continue
            }
            #expect(archive.entries.count * 46 <= bytes.count, "\(name): \(archive.entries.count) entries")
            var budget = 8 << 20
            for entry in archive.entries where budget > 0 {
                let entrySource: any ImportByteSource
                do { entrySource = try archive.open(entry) } catch is ImportFileError { continue }
                #expect(entrySource.size == entry.uncompressedSize, "\(name): \(entry.path)")
                var produced: Int64 = 0
                do {
                    while budget > 0 {
                        let chunk = try entrySource.read(upToCount: 64 * 1024)
                        if chunk.isEmpty { break }
                        produced += Int64(chunk.count)
                        budget -= chunk.count
                        // A zip bomb or damaged entry must stop at its declared size.
                        guard produced <= entry.uncompressedSize else {
                            Issue.record(
                                "\(name): \(entry.path) gave \(produced) bytes of \(entry.uncompressedSize) declared")
                            break
                        }
                    }
                } catch is ImportFileError {
                    continue
                } catch {
                    Issue.record("\(name): \(entry.path) threw \(error), not an ImportFileError")
                    continue
                }
                if budget > 0 {
                    #expect(produced == entry.uncompressedSize, "\(name): \(entry.path) ended early without an error")
                    entriesRead += 1
                }
            }
        }
        // The seeds include whole exports and archives of every deflate level: most entries read cleanly.
        #expect(entriesRead >= 100)
    }
}
