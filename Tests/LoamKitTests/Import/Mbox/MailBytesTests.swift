import Foundation
import Testing

@testable import LoamKit

/// The byte-level helpers the header parser uses in place of `String` operations must answer as those do.
@Suite("mbox bytes: UTF-8 validation and trimming as the standard library does them")
struct MailBytesTests {
    @Test(
        "UTF-8 validation agrees with the standard library on every 1- and 2-byte sequence and the edges of longer ones"
    )
    func validation() {
        var sequences: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for first in 0...255 { for second in 0...255 { sequences.append([UInt8(first), UInt8(second)]) } }
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for lead in 0xE0...0xF7 {
            for second in edges { for third in edges { sequences.append([UInt8(lead), second, third]) } }
            for second in edges { for third in edges { sequences.append([UInt8(lead), second, third, 0x80]) } }
        }
        // Runs longer than a word, so the eight-bytes-at-a-time path meets each case too.
        sequences += sequences.prefix(4000).map { Array("ASCII before it ".utf8) + $0 + Array(" and after".utf8) }
        for bytes in sequences {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer { MailBytes.isValidUTF8($0) } == expected, "\(bytes)")
        }
    }

    @Test("Trimming on bytes gives what trimmingSpaces and trimmingSpacesAndNewlines give")
    func trimming() {
        let edges = [
            "", " ", "\t", "\n", "\r", "\u{A0}", "\u{85}", "\u{1680}", "\u{2003}", "\u{200B}", "\u{2028}", "\u{3000}",
            "é", "\u{301}", "x", "日",
        ]
        for left in edges {
            for right in edges {
                for middle in ["", "a", "a b", "\u{A0}"] {
                    let text = left + middle + right
                    var copy = text
                    let (spaces, newlines) = copy.withUTF8 { bytes in
                        (
                            MailBytes.string(bytes, MailBytes.trimmedSpaces(bytes, 0..<bytes.count)),
                            MailBytes.string(bytes, MailBytes.trimmedSpacesAndNewlines(bytes, 0..<bytes.count))
                        )
                    }
                    #expect(spaces == text.trimmingSpaces(), "\(text.unicodeScalars.map(\.value))")
                    #expect(newlines == text.trimmingSpacesAndNewlines(), "\(text.unicodeScalars.map(\.value))")
                }
            }
        }
    }
}
