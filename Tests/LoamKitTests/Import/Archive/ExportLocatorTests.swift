import Foundation
import LoamKit
import Testing

@Suite("Export locator: the file itself, the folder it unpacks to, or the zip as downloaded")
struct ExportLocatorTests {
    typealias F = ArchiveFixtures

    @Test(
        "Facebook zip: your_friends.json under the dated top folder; __MACOSX copies, removed friends and nested backups passed over"
    )
    func facebookZip() throws {
        let files = try ExportLocator.locate(.facebook, at: F.path("facebook", "facebook-export.zip"))
        #expect(files.map(\.name) == ["facebook-dana-2025-01-02-AbCdEf/connections/friends/your_friends.json"])
        #expect(files[0].filePath == nil)
        let names = try FacebookFriendsReader(source: files[0].source).names()
        #expect(names.first == "Dana Whitfield")
        #expect(names.count == 5)
    }

    @Test("Facebook zip of the older layout: friends_and_followers/friends.json")
    func facebookOlderZip() throws {
        let files = try ExportLocator.locate(.facebook, at: F.path("facebook", "facebook-2020-export.zip"))
        #expect(files.map(\.name) == ["facebook-dana/friends_and_followers/friends.json"])
        #expect(try FacebookFriendsReader(source: files[0].source).names() == ["Old Layout Friend", "Renée Older"])
    }

    @Test("X zip: following parts in manifest order, then followers; account.js and tweets.js left out")
    func xZip() throws {
        let files = try ExportLocator.locate(.x, at: F.path("x", "x-archive.zip"))
        #expect(files.map(\.name) == ["data/following.js", "data/following-part1.js", "data/follower.js"])
        let reader = try XFollowsReader(sources: files.map(\.source))
        var ids: [String] = []
        while let item = try reader.next() { ids += item.socialRecord?.xAccountIDs ?? [] }
        #expect(ids == ["12", "783214", "1234567890123456789", "2244994945", "12", "99887766"])
        #expect(reader.bytesRead == reader.totalBytes)
    }

    @Test("X zip with no manifest: the files found by name, parts in number order")
    func xNoManifest() throws {
        let files = try ExportLocator.locate(.x, at: F.path("x", "x-archive-no-manifest.zip"))
        #expect(
            files.map(\.name) == [
                "twitter-2019/data/following.js", "twitter-2019/data/following-part1.js",
                "twitter-2019/data/follower.js",
            ])
    }

    @Test("X folder: the unpacked archive, files on disk with their paths")
    func xFolder() throws {
        let folder = F.fixtures.appendingPathComponent("x/archive").path
        let files = try ExportLocator.locate(.x, at: folder)
        #expect(files.map(\.name) == ["data/following.js", "data/following-part1.js", "data/follower.js"])
        #expect(files[0].filePath == folder + "/data/following.js")
    }

    @Test("A file given itself is returned as it is, for the reader to check")
    func fileItself() throws {
        let path = F.path("facebook", "your_friends.json")
        let files = try ExportLocator.locate(.facebook, at: path)
        #expect(files.map(\.name) == [path])
        #expect(files[0].filePath == path)
    }

    @Test("A zip already open (an upload's spool that cannot seek) is searched the same way")
    func openSource() throws {
        let source = ForwardOnlySource(try F.bytes(F.path("x", "x-archive.zip")), piece: 512)
        let files = try ExportLocator.locate(.x, in: source, name: "twitter.zip")
        #expect(files.count == 3)
        let reader = try XFollowsReader(sources: files.map(\.source))
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == 6)
    }

    @Test(
        "LinkedIn, Google contacts and chat.db found at any depth, case-insensitively; a folder's chat.db has its path")
    func otherExports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-locator-\(UUID().uuidString)")
        for relative in [
            "Basic_LinkedInDataExport_01-02-2025/connections.CSV", "Messages/chat.db", "Messages/chat.db-wal",
            "google/contacts.csv",
        ] {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        #expect(
            try ExportLocator.locate(.linkedin, at: folder.path).map(\.name) == [
                "Basic_LinkedInDataExport_01-02-2025/connections.CSV"
            ])
        #expect(try ExportLocator.locate(.googleContacts, at: folder.path).map(\.name) == ["google/contacts.csv"])
        let chat = try ExportLocator.locate(.imessage, at: folder.path)
        #expect(chat.map(\.name) == ["Messages/chat.db"])
        #expect(chat[0].filePath == folder.appendingPathComponent("Messages/chat.db").path)
    }

    @Test("Nothing to find: the message names what was looked for; a zip whose only match points outside is not used")
    func missing() throws {
        let error = try #require(throws: ImportFileError.self) {
            try ExportLocator.locate(.facebook, at: F.path("x", "x-archive.zip"))
        }
        #expect(error.description.contains("your_friends.json"))
        let unsafe = try #require(throws: ImportFileError.self) {
            try ExportLocator.locate(.x, at: F.zip("dotdot.zip"))
        }
        #expect(unsafe.description.contains("following.js"))
        #expect(throws: ImportFileError.self) { try ExportLocator.locate(.x, at: "/nonexistent/loam/twitter.zip") }
        #expect(throws: ImportFileError.self) { try ExportLocator.locate(.linkedin, at: F.zip("truncated.zip")) }
    }
}

extension FacebookFriendsReader {
    func names() throws -> [String] {
        var names: [String] = []
        while let item = try next() { if let name = item.socialRecord?.name { names.append(name) } }
        return names
    }
}

extension ContactRecord {
    var xAccountIDs: [String] {
        identifiers.compactMap { if case .sourceID("x", let value) = $0 { value } else { nil } }
    }

    var socialProfileURLs: [String] {
        identifiers.compactMap { if case .profileURL(let value) = $0 { value } else { nil } }
    }
}
