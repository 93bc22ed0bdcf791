import Foundation

extension Data {
    /// Test fixtures are written in hex; a bad literal is a test bug, so trap loudly.
    init(hex: String) {
        precondition(hex.count.isMultiple(of: 2), "odd hex literal")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { preconditionFailure("bad hex literal") }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Calls `body` with every single-bit corruption of `bytes`: the index of the changed byte and the corrupted copy.
func forEachFlippedBit(of bytes: Data, _ body: (_ index: Int, _ tampered: [UInt8]) throws -> Void) rethrows {
    let original = [UInt8](bytes)
    for index in original.indices {
        for bit in 0..<8 {
            var tampered = original
            tampered[index] ^= 1 << bit
            try body(index, tampered)
        }
    }
}

/// The big-endian UInt32 at `offset`, as the formats store key ids.
func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
}
