import Foundation
import LoamKit
import Testing

@Suite("X follows reader")
struct XFollowsReaderTests {
    typealias F = ArchiveFixtures

    static func items(_ paths: [String]) throws -> [ContactItem] {
        let reader = try XFollowsReader(sources: paths.map { try FileByteSource(path: $0) })
        var items: [ContactItem] = []
        while let item = try reader.next() { items.append(item) }
        #expect(reader.bytesRead == reader.totalBytes)
        return items
    }

    static func data(_ name: String) -> String { F.path("x", "archive/data/\(name)") }

    @Test(
        "following.js: the window.YTD prefix left out, account ids (19 digits kept) and user links, relationship following"
    )
    func following() throws {
        let records = try Self.items([Self.data("following.js")]).compactMap(\.socialRecord)
        #expect(records.map(\.xAccountIDs) == [["12"], ["783214"], ["1234567890123456789"]])
        // The intent link names the account by its query only: it is not a profile (every account would share one).
        #expect(records[0].socialProfileURLs == [])
        #expect(records.map(\.line) == [2, 8, 14])
        #expect(records.allSatisfy { $0.relationship == "following" && $0.name == nil })
    }

    @Test("Several files in order: a part file, then followers; the same account in both lists is two records")
    func severalFiles() throws {
        let records = try Self.items([
            Self.data("following.js"), Self.data("following-part1.js"), Self.data("follower.js"),
        ])
        .compactMap(\.socialRecord)
        #expect(
            records.map(\.xAccountIDs) == [
                ["12"], ["783214"], ["1234567890123456789"], ["2244994945"], ["12"], ["99887766"],
            ])
        #expect(
            records.map(\.relationship) == ["following", "following", "following", "following", "follower", "follower"])
    }

    @Test("Malformed entries skipped with their line; an id from the link when accountId is missing; a numeric id kept")
    func malformed() throws {
        let items = try Self.items([F.path("x", "malformed.js")])
        let records = items.compactMap(\.socialRecord)
        #expect(records.map(\.xAccountIDs) == [["101"], ["202"], ["303"]])
        #expect(records[1].socialProfileURLs == [], "the id comes from the intent link, which is not kept as a profile")
        #expect(items.compactMap(\.socialSkippedLine) == [8, 11, 16])
        #expect(items[1].socialSkippedReason == "an account with no account id or link")
        #expect(items[2].socialSkippedReason == "an entry that is neither a following nor a follower")
    }

    @Test("An empty list reads nothing; a cut file gives its whole entries, then truncated at the cut one")
    func emptyAndTruncated() throws {
        #expect(try Self.items([F.path("x", "empty.js")]).isEmpty)
        let reader = try XFollowsReader(path: F.path("x", "truncated.js"))
        #expect(try reader.next()?.socialRecord?.xAccountIDs == ["11"])
        #expect(throws: ImportFileError.truncated(line: 8)) { try reader.next() }
        #expect(try reader.next() == nil)
    }

    @Test("Foreign files are notThisFormat, the first at init, a later one when reached")
    func foreign() throws {
        let foreign = [
            #"{"friends_v2": []}"#, "window.YTD.tweets.part0 = []", "window.YTD.following.part = []",
            "window.YTD.following.part0 []",
            "window.__THAR_CONFIG = {}", "", "following = [",
        ]
        for text in foreign {
            #expect(throws: ImportFileError.notThisFormat(expected: "x"), "\(text)") {
                try XFollowsReader(source: ByteArraySource(Array(text.utf8)))
            }
        }
        #expect(throws: ImportFileError.notThisFormat(expected: "x")) { try XFollowsReader(sources: []) }
        let mixed = try XFollowsReader(sources: [
            FileByteSource(path: Self.data("following-part1.js")), ByteArraySource(Array("{}".utf8)),
        ])
        #expect(try mixed.next()?.socialRecord?.xAccountIDs == ["2244994945"])
        #expect(throws: ImportFileError.notThisFormat(expected: "x")) { try mixed.next() }
        #expect(XFollowsReader.looksLike(Array("\u{FEFF}window.YTD.follower.part12 =\n[".utf8)))
    }

    @Test("Damaged JSON names its line")
    func damaged() throws {
        let text =
            "window.YTD.following.part0 = [\n{\"following\": {\"accountId\": \"1\"}},\n{\"following\": {\"accountId\": \"2\"}}}\n]"
        let reader = try XFollowsReader(source: ByteArraySource(Array(text.utf8)))
        #expect(try reader.next()?.socialRecord?.xAccountIDs == ["1"])
        #expect(try reader.next()?.socialRecord?.xAccountIDs == ["2"])
        let error = try #require(throws: ImportFileError.self) { try reader.next() }
        #expect(error.description.contains("line 3"))
    }
}
