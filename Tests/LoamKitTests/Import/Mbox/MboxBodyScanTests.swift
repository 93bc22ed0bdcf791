import Foundation
import Testing

@testable import LoamKit

@Suite("mbox body scan: blocks of 16 bytes find what a line-by-line scan finds")
struct MboxBodyScanTests {
    /// The line-by-line scan the block scan replaced, kept here as its definition.
    static func lineByLine(_ bytes: [UInt8], from start: Int) -> MboxBodyScan.Result {
        var lineStart = start
        var lines = 0
        while lineStart < bytes.count {
            guard let newline = bytes[lineStart...].firstIndex(of: 0x0A) else {
                return .init(stop: lineStart, lines: lines, afterBlank: false, open: true)
            }
            let blank = newline == lineStart || (newline == lineStart + 1 && bytes[lineStart] == 0x0D)
            lines += 1
            lineStart = newline + 1
            guard blank else { continue }
            if lineStart + 5 > bytes.count || bytes[lineStart..<(lineStart + 5)].elementsEqual("From ".utf8) {
                return .init(stop: lineStart, lines: lines, afterBlank: true, open: false)
            }
        }
        return .init(stop: lineStart, lines: lines, afterBlank: false, open: false)
    }

    @Test("Random text of LF, CR, spaces and From lines, every start: the same stop, line count and state")
    func agreesWithLineByLine() {
        let pieces: [[UInt8]] = [
            "\n", "\r", "\r\n", "x", "From ", "From", " ", ">From ", "\n\n", "\r\n\r\n", "long line of text",
        ]
        .map { Array($0.utf8) }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) { bytes += pieces.randomElement(using: &random)! }
            for start in 0...bytes.count where start == 0 || bytes[start - 1] == 0x0A {
                let expected = Self.lineByLine(bytes, from: start)
                let found = bytes.withUnsafeBufferPointer { MboxBodyScan.scan($0, from: start) }
                guard start < bytes.count else { continue }
                #expect(found == expected, "\(bytes) from \(start)")
            }
        }
    }
}
