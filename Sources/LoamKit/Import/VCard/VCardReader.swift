import Foundation

/// Reads a vCard file (2.1, 3.0 or 4.0) one card at a time, in bounded memory.
///
/// What is lost when a file is damaged:
/// - a line inside a card that is not a property (no colon, a name that is not a vCard name), a property whose
///   value cannot be read (a birthday like "circa 1800") or one longer than a megabyte loses only that property;
///   the card is kept;
/// - a card with no `END:VCARD` before the next `BEGIN:VCARD`, or cut off by the end of the file, is
///   `.skipped` with the line of its `BEGIN:VCARD`, and reading goes on with the next card;
/// - lines outside any card (a lost `BEGIN:VCARD`, junk between cards) are one `.skipped` per run of them.
public final class VCardReader {
    public let totalBytes: Int64
    /// How far into the file the reader has got, for progress.
    public var bytesRead: Int64 { source.consumed }

    private var source: VCardLineSource
    private var card: CardBuilder?
    private var nestedAgentDepth = 0
    private var stray: (line: Int, count: Int)?

    /// Throws `ImportFileError.unreadable` when the file cannot be opened or read, `.notThisFormat(expected:
    /// "vcard")` when its first bytes are not `BEGIN:VCARD` (after a BOM and blank lines).
    public convenience init(path: String) throws {
        try self.init(source: FileByteSource(path: path))
    }

    /// Reads from any byte source (a sealed upload spool, bytes in memory); throws as `init(path:)` does.
    public init(source: any ImportByteSource) throws {
        totalBytes = source.size
        let first = try source.read(upToCount: VCardLineSource.chunkSize)
        guard ImportFormat.detect(first) == .vcard else {
            throw ImportFileError.notThisFormat(expected: "vcard")
        }
        self.source = VCardLineSource(source: source, firstChunk: first)
    }

    /// The next card, or a `.skipped` one; nil at the end of the file.
    public func next() throws -> VCardItem? {
        while let line = try nextLogicalLine() {
            let property = line.mode == .keep ? VCardProperty.parse(line.bytes) : nil
            let marker = property.map(Self.marker) ?? nil
            if nestedAgentDepth > 0 {
                // A 2.1 AGENT's card nested in this one: not a contact of its own.
                if marker == .begin { nestedAgentDepth += 1 }
                if marker == .end { nestedAgentDepth -= 1 }
                continue
            }
            if marker == .begin {
                if let open = card {
                    if open.agentPending {
                        nestedAgentDepth = 1
                        continue
                    }
                    card = CardBuilder(line: line.number)
                    return .skipped(
                        line: open.line, reason: "no END:VCARD before the BEGIN:VCARD on line \(line.number)")
                }
                card = CardBuilder(line: line.number)
                if let run = stray {
                    stray = nil
                    return .skipped(line: run.line, reason: Self.strayReason(run.count))
                }
                continue
            }
            guard let open = card else {
                if let run = stray {
                    stray = (run.line, run.count + 1)
                } else {
                    stray = (line.number, 1)
                }
                continue
            }
            if marker == .end {
                card = nil
                return .card(open.build())
            }
            if line.mode == .measure {
                open.agentPending = false
                if open.record.photoBytes == nil, let size = line.photoBytes { open.record.photoBytes = size }
            } else if let property, !line.tooLong {
                open.apply(property)
            } else {
                open.agentPending = false
            }
        }
        if let open = card {
            card = nil
            return .skipped(line: open.line, reason: "the file ends before this card's END:VCARD")
        }
        if let run = stray {
            stray = nil
            return .skipped(line: run.line, reason: Self.strayReason(run.count))
        }
        return nil
    }

    private static func strayReason(_ count: Int) -> String {
        count == 1 ? "a line outside any card" : "\(count) lines outside any card"
    }

    private enum Marker { case begin, end }

    private static func marker(_ property: VCardProperty) -> Marker? {
        guard property.name == "BEGIN" || property.name == "END", property.group == nil else { return nil }
        guard isVCard(property.value) else { return nil }
        return property.name == "BEGIN" ? .begin : .end
    }

    /// Whether a BEGIN or END value is `VCARD`, trimmed, in any case. Foundation's `caseInsensitiveCompare`
    /// bridged two lines of every card through NSString; on ASCII it is ASCII case folding, so only other
    /// bytes still go to Foundation.
    private static func isVCard(_ value: ArraySlice<UInt8>) -> Bool {
        guard VCardBytes.isASCII(value) else {
            let text = String(decoding: value, as: UTF8.self).trimmingSpaces()
            return text.caseInsensitiveCompare("VCARD") == .orderedSame
        }
        return VCardBytes.equalsIgnoringCase(VCardBytes.trimmingSpaces(value), "VCARD")
    }

    // MARK: Logical lines

    enum Mode { case keep, measure, discard }

    struct LogicalLine {
        /// A keep line's bytes (a slice of its physical line unless folds were joined); empty for the others.
        var bytes: ArraySlice<UInt8>
        var number: Int
        var mode: Mode
        var tooLong = false
        /// For a PHOTO: the decoded size of its base64 data, nil when it is a URI.
        var photoBytes: Int?
    }

    private static let kept: Set<String> = [
        "BEGIN", "END", "VERSION", "FN", "N", "NICKNAME", "EMAIL", "TEL", "URL", "ORG", "TITLE", "BDAY", "NOTE",
        "UID", "X-ABLABEL", "AGENT",
    ]
    private static let maximumLogicalLineBytes = 4 << 20

    /// The next non-blank content line with its folds (CRLF + space or tab) and quoted-printable soft line
    /// breaks (`=` at a line's end) undone on bytes, before any text is decoded, so a fold or break inside a
    /// UTF-8 sequence or a `=XX` escape does no harm. Values Loam does not keep are read past, not collected;
    /// a photo is only measured.
    private func nextLogicalLine() throws -> LogicalLine? {
        var first: VCardSlicedLine
        repeat {
            guard let line = try source.nextSlice() else { return nil }
            first = line
        } while first.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }

        let name = VCardProperty.name(ofHeader: first.bytes)
        let mode: Mode = name == "PHOTO" ? .measure : Self.kept.contains(name) ? .keep : .discard
        let headerEnd = VCardProperty.headerEnd(first.bytes)
        let quotedPrintable =
            headerEnd.map { VCardBytes.containsIgnoringCase(first.bytes[..<$0], "QUOTED-PRINTABLE") } ?? false
        var line = LogicalLine(bytes: [], number: first.number, mode: mode, tooLong: first.droppedBytes > 0)
        var photo = mode == .measure ? PhotoMeasure(firstLine: first, headerEnd: headerEnd) : nil
        if mode == .keep { line.bytes = first.bytes }
        var lastByte = first.bytes.last

        var folded = false
        var softBreak = false
        let isBase64Photo = photo?.isBase64 == true
        while let next = try source.nextSlice(if: { next in
            folded = next.bytes.first == 0x20 || next.bytes.first == 0x09
            softBreak =
                !folded && quotedPrintable && lastByte == 0x3D && !next.bytes.isEmpty && !Self.isMarker(next.bytes)
            let bareBase64 = !folded && isBase64Photo && Self.isBareBase64(next.bytes)
            return folded || softBreak || bareBase64
        }) {
            let rest = folded ? next.bytes.dropFirst() : next.bytes[...]
            if !rest.isEmpty || next.droppedBytes > 0 { lastByte = rest.last }
            if next.droppedBytes > 0 { line.tooLong = true }
            switch mode {
            case .keep:
                if softBreak { line.bytes.removeLast() }
                if line.bytes.count + rest.count > Self.maximumLogicalLineBytes {
                    line.tooLong = true
                } else if !line.tooLong {
                    line.bytes.append(contentsOf: rest)
                }
            case .measure:
                photo?.add(rest, dropped: next.droppedBase64Digits)
            case .discard:
                break
            }
        }
        line.photoBytes = photo?.decodedBytes
        return line
    }

    private static func isMarker(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: bytes.prefix(16), as: UTF8.self).trimmingSpaces().uppercased()
        return text == "END:VCARD" || text == "BEGIN:VCARD"
    }

    /// vCard 2.1 base64 lines that some writers do not indent: only base64 digits, no colon.
    private static func isBareBase64(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { VCardLineSource.isBase64Digit($0) || $0 == 0x3D }
    }
}

/// Counts a photo's base64 digits as its lines go by; the bytes themselves are never kept.
private struct PhotoMeasure {
    var isBase64: Bool
    private var digits = 0

    init(firstLine: VCardSlicedLine, headerEnd: Int?) {
        guard let headerEnd, let property = VCardProperty.parse(firstLine.bytes) else {
            isBase64 = false
            return
        }
        var value = firstLine.bytes[(headerEnd + 1)...]
        let start = String(decoding: value.prefix(64), as: UTF8.self).lowercased()
        if start.hasPrefix("data:") {
            // RFC 6350 data URI: data:image/jpeg;base64,….
            guard let comma = value.firstIndex(of: 0x2C), start.prefix(while: { $0 != "," }).hasSuffix(";base64")
            else {
                isBase64 = false
                return
            }
            value = value[(comma + 1)...]
            isBase64 = true
        } else {
            isBase64 = property.isBase64
        }
        if isBase64 { add(value, dropped: firstLine.droppedBase64Digits) }
    }

    mutating func add(_ bytes: ArraySlice<UInt8>, dropped: Int) {
        digits += dropped
        for byte in bytes where VCardLineSource.isBase64Digit(byte) { digits += 1 }
    }

    var decodedBytes: Int? {
        guard isBase64, digits > 0 else { return nil }
        return digits * 6 / 8
    }
}
