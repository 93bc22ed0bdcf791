import Foundation

/// What the scanner finds, in file order.
enum ICalScanned {
    /// A component between its BEGIN and its END.
    case component(ICalComponent)
    /// A component cut short: by the BEGIN of another top-level component, by END:VCALENDAR or by the end of
    /// the file (`reason` says which). Holds what was read of it.
    case unterminated(ICalComponent, reason: String)
    /// A run of lines outside any component that are not content lines (binary junk, a broken paste).
    case junk(line: Int, count: Int)
}

/// Reads the top-level components of an iCalendar stream (VCALENDAR is only a wrapper: several calendars in one
/// file, or none, read the same), one at a time in bounded memory. Lines are unfolded on bytes before any text is
/// decoded, so a fold inside a UTF-8 sequence does no harm; only the properties named in `keep` (at the
/// component's own level) and `keepNested` (inside a nested component) are collected, others are read past.
struct ICalComponentScanner {
    /// Components that never nest inside another: their BEGIN ends whatever was open.
    static let topLevelNames: Set<String> = [
        "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VCALENDAR", "VAVAILABILITY",
    ]
    /// Longer logical lines lose their value (a DESCRIPTION pasted from a book); the component is kept.
    static let maximumLogicalLineBytes = 1 << 20
    /// A component with more properties than this (a meeting of every employee) keeps only the first ones.
    static let maximumProperties = 20_000
    private static let maximumNesting = 32

    private var source: VCardLineSource
    private let keep: Set<String>
    private let keepNested: Set<String>
    /// Which (length, last letter) shapes of a name may be wanted, so that most other lines (DTSTAMP, CREATED,
    /// SEQUENCE…) are read past without their name being made a String and looked up.
    private let wantedShapes: [Bool]
    private var open: ICalComponent?
    /// Names of the components open inside `open`, innermost last, and how many more beyond the cap.
    private var nesting: [String] = []
    private var nestingOverflow = 0
    private var junk: (line: Int, count: Int)?
    private var pending: [ICalScanned] = []

    init(source: VCardLineSource, keep: Set<String>, keepNested: Set<String> = []) {
        self.source = source
        self.keep = keep
        self.keepNested = keepNested
        var shapes = Array(repeating: false, count: 1024)
        for name in keep.union(keepNested).union(["BEGIN", "END"]) {
            shapes[Self.shape(length: name.utf8.count, last: name.utf8.last ?? 0)] = true
        }
        wantedShapes = shapes
    }

    /// File offset after the last line read.
    var consumed: Int64 { source.consumed }

    mutating func next() throws -> ICalScanned? {
        while pending.isEmpty {
            guard let line = try nextLogicalLine() else {
                finish()
                break
            }
            handle(line)
        }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    private mutating func finish() {
        if let component = open {
            open = nil
            pending.append(
                .unterminated(component, reason: "the file ends before this \(component.name)'s END:\(component.name)"))
        }
        flushJunk()
    }

    private mutating func flushJunk() {
        if let run = junk {
            junk = nil
            pending.append(.junk(line: run.line, count: run.count))
        }
    }

    private mutating func handle(_ line: LogicalLine) {
        guard let marker = line.marker else {
            guard line.isContentLine else {
                if open == nil {
                    junk = junk.map { ($0.line, $0.count + 1) } ?? (line.number, 1)
                }
                return  // inside a component, a broken line loses only itself
            }
            collect(line)
            return
        }
        switch marker {
        case .begin(let name): begin(name, line: line.number)
        case .end(let name): end(name, line: line.number)
        }
    }

    private mutating func collect(_ line: LogicalLine) {
        guard var component = open, !line.tooLong, let bytes = line.bytes else { return }
        if nesting.isEmpty && nestingOverflow == 0 {
            guard line.isKept, component.properties.count < Self.maximumProperties,
                let property = ICalProperty(bytes: bytes, line: line.number)
            else { return }
            open = nil  // one reference while it grows
            component.properties.append(property)
        } else {
            guard line.isKeptNested, component.nested.count < Self.maximumProperties,
                let property = ICalProperty(bytes: bytes, line: line.number)
            else { return }
            open = nil
            component.nested.append((nesting.last ?? "", property))
        }
        open = component
    }

    private mutating func begin(_ name: String, line: Int) {
        guard let component = open else {
            flushJunk()
            if name != "VCALENDAR" { open = ICalComponent(name: name, line: line) }
            return
        }
        if Self.topLevelNames.contains(name) {
            pending.append(
                .unterminated(component, reason: "no END:\(component.name) before the BEGIN:\(name) on line \(line)"))
            resetNesting()
            open = name == "VCALENDAR" ? nil : ICalComponent(name: name, line: line)
            return
        }
        if nesting.count < Self.maximumNesting {
            nesting.append(name)
        } else {
            nestingOverflow += 1
        }
    }

    private mutating func end(_ name: String, line: Int) {
        guard let component = open else {
            if name != "VCALENDAR" {
                junk = junk.map { ($0.line, $0.count + 1) } ?? (line, 1)
            }
            return
        }
        if nestingOverflow > 0 {
            nestingOverflow -= 1
            return
        }
        if let index = nesting.lastIndex(of: name) {
            nesting.removeSubrange(index...)
            return
        }
        if name == component.name {
            open = nil
            resetNesting()
            pending.append(.component(component))
        } else if name == "VCALENDAR" {
            open = nil
            resetNesting()
            pending.append(
                .unterminated(component, reason: "no END:\(component.name) before the END:VCALENDAR on line \(line)"))
        }
        // Any other END (of something never begun) is ignored.
    }

    private mutating func resetNesting() {
        nesting.removeAll()
        nestingOverflow = 0
    }

    // MARK: Logical lines

    private enum Marker {
        case begin(String)
        case end(String)
    }

    private struct LogicalLine {
        var number: Int
        /// Upper-cased property name; "" when the line has none, or one the scanner never wants.
        var name: String
        var isKept = false
        var isKeptNested = false
        /// The line looks like `NAME[;params]:value`.
        var isContentLine: Bool
        /// Collected only for kept names, BEGIN and END.
        var bytes: [UInt8]?
        var tooLong = false
        var marker: Marker?
    }

    /// The next non-blank logical line. A line starting with a space or a tab continues the one before (RFC 5545
    /// §3.1); the fold's line ending and that one blank are removed, on bytes.
    private mutating func nextLogicalLine() throws -> LogicalLine? {
        var first: VCardPhysicalLine
        repeat {
            guard let line = try source.next() else { return nil }
            first = line
        } while first.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }

        let (name, isContentLine) = Self.header(first.bytes, shapes: wantedShapes)
        var line = LogicalLine(
            number: first.number, name: name, isContentLine: isContentLine, tooLong: first.droppedBytes > 0)
        if !name.isEmpty {
            line.isKept = keep.contains(name)
            line.isKeptNested = keepNested.contains(name)
        }
        let wanted = line.isKept || line.isKeptNested || name == "BEGIN" || name == "END"
        if wanted { line.bytes = first.bytes }
        while let next = try source.peek(), next.bytes.first == 0x20 || next.bytes.first == 0x09 {
            _ = try source.next()
            guard wanted, !line.tooLong else { continue }
            if next.droppedBytes > 0 || (line.bytes?.count ?? 0) + next.bytes.count > Self.maximumLogicalLineBytes {
                line.tooLong = true
                line.bytes = nil
            } else {
                line.bytes?.append(contentsOf: next.bytes.dropFirst())
            }
        }
        if wanted, isContentLine, let bytes = line.bytes, !bytes.contains(0x3A) {
            // Parameters folded onto the next line are fine; a kept line with no colon at all is no property.
            line.isContentLine = false
        }
        if line.isContentLine, name == "BEGIN" || name == "END", let bytes = line.bytes,
            let colon = bytes.firstIndex(of: 0x3A)
        {
            let value = String(decoding: bytes[(colon + 1)...].prefix(64), as: UTF8.self)
                .trimmedWhitespace.uppercased()
            if !value.isEmpty { line.marker = name == "BEGIN" ? .begin(value) : .end(value) }
        }
        return line
    }

    /// The property name of a line (upper-cased) and whether the line starts like a content line: a name of
    /// letters, digits and dashes, then parameters or the value (the colon may be on a folded line).
    private static func header(_ bytes: [UInt8], shapes: [Bool]) -> (name: String, isContentLine: Bool) {
        var end = 0
        while end < bytes.count, end < 128 {
            let byte = bytes[end]
            let isNameByte =
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
            guard isNameByte else { break }
            end += 1
        }
        guard end > 0, end < bytes.count, bytes[end] == 0x3A || bytes[end] == 0x3B else { return ("", false) }
        guard shapes[shape(length: end, last: bytes[end - 1])] else { return ("", true) }
        // Name bytes are ASCII, so upper-casing them is what `uppercased()` does, without its Unicode tables.
        let name = bytes[..<end]
        if !name.contains(where: { (0x61...0x7A).contains($0) }) {
            return (String(decoding: name, as: UTF8.self), true)
        }
        return (String(decoding: name.map(ICalASCII.uppercased), as: UTF8.self), true)
    }

    private static func shape(length: Int, last: UInt8) -> Int {
        (length & 31) << 5 | Int(ICalASCII.uppercased(last) & 31)
    }
}
