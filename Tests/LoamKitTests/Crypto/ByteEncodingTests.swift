import Foundation
import Testing

@testable import LoamKit

/// Every sealed field's associated data and every blind-index token hashes these bytes: one byte different and
/// nothing stored before opens or matches again.
@Suite("Length-prefixed encoding")
struct ByteEncodingTests {
    @Test("each part is its UTF-8 bytes after a 4-byte big-endian length, the label first")
    func layout() {
        let encoded = ByteEncoding.lengthPrefixed(label: "ab", ["", "é", String(repeating: "x", count: 300)])
        let expected: [UInt8] =
            [0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 2, 0xC3, 0xA9, 0, 0, 1, 0x2C]
            + [UInt8](repeating: 0x78, count: 300)
        #expect([UInt8](encoded) == expected)
        #expect(ByteEncoding.lengthPrefixed(label: "", []) == Data([0, 0, 0, 0]))
    }
}
