/// A UTF-16 file (with its byte order mark) handed out as UTF-8, chunk by chunk, so the byte-level CSV reader
/// reads it unchanged. Google's older "Google CSV" export was UTF-16 little-endian, for Excel.
final class UTF16ToUTF8Source: ImportByteSource {
    private let source: any ImportByteSource
    private let bigEndian: Bool
    /// Input bytes not yet transcoded: an odd last byte, or a high surrogate waiting for its pair.
    private var pending: [UInt8]
    private var sourceAtEnd = false
    private(set) var inputRead: Int64
    private(set) var outputProduced: Int64 = 0

    /// The size of the UTF-16 file; the UTF-8 text is of another size, so progress is reckoned by `inputOffset`.
    var size: Int64 { source.size }

    /// `firstBytes` are those already read from `source`, starting with the byte order mark.
    init?(source: any ImportByteSource, firstBytes: [UInt8]) {
        guard let bigEndian = Self.byteOrder(firstBytes) else { return nil }
        self.source = source
        self.bigEndian = bigEndian
        pending = Array(firstBytes.dropFirst(2))
        inputRead = Int64(firstBytes.count)
    }

    /// true for FE FF, false for FF FE, nil when there is no UTF-16 byte order mark.
    static func byteOrder(_ bytes: [UInt8]) -> Bool? {
        if bytes.starts(with: [0xFE, 0xFF]) { return true }
        if bytes.starts(with: [0xFF, 0xFE]), !bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return false }
        return nil
    }

    /// Where in the UTF-16 file the reader is, given how much UTF-8 it has consumed: exact at the end, in
    /// proportion before it.
    func inputOffset(forOutput consumed: Int64) -> Int64 {
        guard outputProduced > 0 else { return 0 }
        return min(size, consumed * inputRead / outputProduced)
    }

    func read(upToCount count: Int) throws -> [UInt8] {
        while true {
            if !sourceAtEnd, pending.count < count {
                let more = try source.read(upToCount: max(count, 4096))
                if more.isEmpty { sourceAtEnd = true }
                inputRead += Int64(more.count)
                pending += more
            }
            let output = transcodePending()
            if !output.isEmpty || sourceAtEnd {
                outputProduced += Int64(output.count)
                return output
            }
        }
    }

    func rewind() throws {
        try source.rewind()
        let first = try source.read(upToCount: 2)
        pending = []
        sourceAtEnd = false
        inputRead = Int64(first.count)
        outputProduced = 0
    }

    private func transcodePending() -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(pending.count / 2)
        var index = 0
        while index + 1 < pending.count {
            let (a, b) = (UInt16(pending[index]), UInt16(pending[index + 1]))
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            index += 2
        }
        if !sourceAtEnd, let last = units.last, (0xD800...0xDBFF).contains(last) {
            units.removeLast()
            index -= 2
        }
        pending = sourceAtEnd ? [] : Array(pending[index...])
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
