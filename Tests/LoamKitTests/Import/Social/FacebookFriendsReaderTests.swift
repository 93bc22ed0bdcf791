import Foundation
import LoamKit
import Testing

@Suite("Facebook friends reader")
struct FacebookFriendsReaderTests {
    typealias F = ArchiveFixtures

    static func items(_ name: String) throws -> [ContactItem] {
        let reader = try FacebookFriendsReader(path: F.path("facebook", name))
        var items: [ContactItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test("Current export: names repaired of mojibake, Unix-second timestamps as dates, 0 as unknown, lines of entries")
    func current() throws {
        let records = try Self.items("your_friends.json").compactMap(\.socialRecord)
        #expect(records.map(\.name) == ["Dana Whitfield", "José Martínez", "Zoë 😀 Krüger", "山田 太郎", "Sam Okafor"])
        #expect(records.map(\.line) == [3, 7, 11, 15, 19])
        #expect(records[0].connectedAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(records[1].connectedAt == Date(timeIntervalSince1970: 1_598_659_200))
        #expect(records[4].connectedAt == nil)
        #expect(records.allSatisfy { $0.relationship == "friend" && $0.identifiers.isEmpty })
    }

    @Test("Older export: the \"friends\" key, all on one line")
    func older() throws {
        let records = try Self.items("friends.json").compactMap(\.socialRecord)
        #expect(records.map(\.name) == ["Old Layout Friend", "Renée Older"])
        #expect(records.map(\.line) == [1, 1])
        #expect(records[0].connectedAt == Date(timeIntervalSince1970: 1_356_998_400))
    }

    @Test(
        "Mojibake both ways: UTF-8 bytes as \\u00XX repaired; real Latin-1, a lone lead byte and wider text left alone")
    func mojibake() throws {
        let names = try Self.items("mojibake-both-ways.json").compactMap(\.socialRecord?.name)
        #expect(names == ["José Repaired", "José Latin1", "JosÃ Half", "Renée Łukasz", "Plain ASCII"])
    }

    @Test("Malformed entries are skipped with their line and why; the rest is read; nested extras ignored")
    func malformed() throws {
        let items = try Self.items("malformed.json")
        #expect(items.compactMap(\.socialRecord?.name) == ["First Good", "Odd Timestamp", "Last Good"])
        #expect(items.compactMap(\.socialSkippedLine) == [7, 10, 11, 15])
        #expect(
            items.compactMap(\.socialSkippedReason) == [
                "a friend with no name", "an entry that is not an object", "a friend with no name",
                "a friend with no name",
            ])
        #expect(items.compactMap(\.socialRecord).first { $0.name == "Odd Timestamp" }?.connectedAt == nil)
    }

    @Test("A BOM, keys other than the list (skipped whole, even one holding a friends_v2 key), and both list keys")
    func otherKeys() throws {
        let names = try Self.items("bom-other-keys.json").compactMap(\.socialRecord?.name)
        #expect(names == ["In The First List", "In The Second List"])
    }

    @Test("A file cut in an entry gives the whole entries, then throws truncated at the cut entry's line")
    func truncated() throws {
        let reader = try FacebookFriendsReader(path: F.path("facebook", "truncated.json"))
        #expect(try reader.next()?.socialRecord?.name == "Whole One")
        #expect(try reader.next()?.socialRecord?.name == "Whole Two")
        #expect(throws: ImportFileError.truncated(line: 11)) { try reader.next() }
        #expect(try reader.next() == nil)
    }

    @Test("Foreign files are notThisFormat: X, other JSON, a friends list that is not first, a zip, empty")
    func foreign() throws {
        let foreign: [String] = [
            "window.YTD.following.part0 = []", #"{"deleted_friends_v2": []}"#, #"[{"name": "x"}]"#,
            #"{"other": 1, "friends_v2": []}"#,
            "BEGIN:VCARD\r\n", "", "PK\u{3}\u{4}", #"{"friends_v2x": []}"#,
        ]
        for text in foreign {
            #expect(throws: ImportFileError.notThisFormat(expected: "facebook"), "\(text)") {
                try FacebookFriendsReader(source: ByteArraySource(Array(text.utf8)))
            }
        }
        #expect(!FacebookFriendsReader.looksLike(Array("window.YTD.follower.part0 = [".utf8)))
        #expect(FacebookFriendsReader.looksLike(Array("\u{FEFF}\n{\n  \"friends_v2\" : [".utf8)))
    }

    @Test("Damaged JSON after the start throws unreadable naming the line; entries before it are read")
    func damaged() throws {
        let text =
            "{\n\"friends_v2\": [\n{\"name\": \"Before\", \"timestamp\": 1},\n{\"name\": \"Bad\" \"timestamp\": 2}\n]}"
        let reader = try FacebookFriendsReader(source: ByteArraySource(Array(text.utf8)))
        #expect(try reader.next()?.socialRecord?.name == "Before")
        let error = try #require(throws: ImportFileError.self) { try reader.next() }
        #expect(error.description.contains("line 4"))
        #expect(throws: ImportFileError.self) {
            try FacebookFriendsReader(source: ByteArraySource(Array(#"{"friends_v2": {"a": 1}}"#.utf8))).next()
        }
    }

    @Test("Many friends stream over chunk boundaries: every one read, progress rises to the file's size")
    func large() throws {
        var text = "{\n  \"friends_v2\": [\n"
        for index in 0..<20_000 {
            text +=
                "    {\n      \"name\": \"Friend Nu\\u00c3\\u00b1ez \(index)\",\n      \"timestamp\": \(1_500_000_000 + index)\n    }"
            text += index == 19_999 ? "\n" : ",\n"
        }
        text += "  ]\n}\n"
        let reader = try FacebookFriendsReader(source: ForwardOnlySource(Array(text.utf8), piece: 777))
        var count = 0
        var progress: Int64 = 0
        while let item = try reader.next() {
            let record = try #require(item.socialRecord)
            #expect(record.name == "Friend Nuñez \(count)")
            #expect(record.line == 3 + 4 * count)
            #expect(reader.bytesRead >= progress)
            progress = reader.bytesRead
            count += 1
        }
        #expect(count == 20_000)
        #expect(reader.bytesRead == reader.totalBytes)
    }
}
