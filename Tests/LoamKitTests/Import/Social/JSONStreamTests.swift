import Foundation
import Testing

@testable import LoamKit

@Suite("JSON stream: the events of RFC 8259 over chunks")
struct JSONStreamTests {
    static func events(_ text: String, piece: Int = 3) throws -> [JSONStream.Event] {
        let bytes = Array(text.utf8)
        let source = ForwardOnlySource(bytes, piece: piece)
        let stream = JSONStream(source: source, firstChunk: try source.read(upToCount: piece))
        var events: [JSONStream.Event] = []
        while true {
            let event = try stream.next()
            events.append(event)
            if event == .end { return events }
        }
    }

    @Test("Values, escapes, surrogate pairs, lone surrogates and numbers as written, read three bytes at a time")
    func events() throws {
        let text =
            #"{"a": [1, -2.5e3, 0, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x", "e": {}, "l": []}"#
        #expect(
            try Self.events(text) == [
                .objectStart, .key("a"), .arrayStart, .number("1"), .number("-2.5e3"), .number("0"), .bool(true),
                .bool(false), .null, .arrayEnd,
                .key("s"), .string("q\"\\/\u{8}\u{C}\n\r\té😀\u{FFFD}x"), .key("e"), .objectStart, .objectEnd, .key("l"),
                .arrayStart, .arrayEnd,
                .objectEnd, .end,
            ])
    }

    @Test(
        "Not JSON: each is damaged with its line, never a crash",
        arguments: [
            "{\"a\" 1}", "{\"a\": 01}", "[1,]", "{\"a\": tru}", "[\"\u{1}\"]", "{1: 2}", "[1 2]", "{\"a\": \"\\x\"}",
            "[-]", "[1.]", "]", "{,}",
            "[\"\\u12G4\"]", "[+1]",
        ])
    func damaged(text: String) throws {
        let failure = try #require(throws: JSONStream.Failure.self) { try Self.events(text) }
        guard case .damaged(let line, _) = failure else {
            Issue.record("\(text) should be damaged, not truncated")
            return
        }
        #expect(line == 1)
    }

    @Test(
        "Cut anywhere inside the top-level value: truncated",
        arguments: ["[", "{\"a\"", "{\"a\":", "[\"ab", "[tr", "[1", "[\"\\u00", "{\"a\": [1, {"])
    func truncated(text: String) throws {
        #expect(throws: JSONStream.Failure.truncated) { try Self.events(text) }
    }

    @Test("Nesting past the limit is refused, not a stack overflow")
    func deep() throws {
        let text = String(repeating: "[", count: 100_000)
        let error = try #require(throws: JSONStream.Failure.self) { try Self.events(text, piece: 65_536) }
        #expect(error == .damaged(line: 1, "nesting deeper than 512"))
    }

    @Test("A string over a megabyte is refused")
    func longString() throws {
        let text = "[\"" + String(repeating: "a", count: (1 << 20) + 10) + "\"]"
        #expect(throws: JSONStream.Failure.damaged(line: 1, "a string longer than a megabyte")) {
            _ = try Self.events(text, piece: 65_536).count
        }
    }

    @Test("An entry of more events than the limit is skipped whole; the list goes on")
    func tooLarge() throws {
        let big = "[" + Array(repeating: "1", count: 50).joined(separator: ",") + "]"
        let text = "[{\"a\": 1}, {\"b\": \(big)}, {\"c\": 3}]"
        let source = ByteArraySource(Array(text.utf8))
        let stream = JSONStream(source: source, firstChunk: try source.read(upToCount: 1000))
        #expect(try stream.next() == .arrayStart)
        var kinds: [String] = []
        while let entry = try stream.nextEntry(eventLimit: 20) {
            switch entry {
            case .value(let value, _): kinds.append(value["a"] != nil ? "a" : value["c"] != nil ? "c" : "?")
            case .tooLarge: kinds.append("large")
            }
        }
        #expect(kinds == ["a", "large", "c"])
        #expect(try stream.next() == .end)
    }

    @Test("Mojibake repair: only all-Latin-1 text that is valid UTF-8 as bytes changes")
    func mojibake() {
        #expect(JSONExportText.repairingMojibake("JosÃ©") == "José")
        #expect(JSONExportText.repairingMojibake("José") == "José")
        #expect(JSONExportText.repairingMojibake("Łukasz Ã©") == "Łukasz Ã©")
        #expect(JSONExportText.repairingMojibake("plain") == "plain")
        #expect(JSONExportText.repairingMojibake("ð\u{9F}\u{98}\u{80}") == "😀")
    }
}
