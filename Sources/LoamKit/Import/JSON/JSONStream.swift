/// A pull parser of JSON (RFC 8259) over an `ImportByteSource`, one event at a time, over fixed-size chunks:
/// memory is one chunk plus the string being read, whatever the file's size. Exports of a few MB parse at the
/// speed of the bytes, and one that is cut short still gives every entry before the cut.
///
/// Strings longer than `stringLimit` and nesting deeper than `depthLimit` are refused: no export Loam reads
/// has them, and they bound what a hostile file can make the parser hold.
final class JSONStream {
    enum Event: Equatable {
        case objectStart, objectEnd, arrayStart, arrayEnd
        case key(String)
        case string(String)
        /// The number as written (a 19-digit account id would lose digits as a Double).
        case number(String)
        case bool(Bool)
        case null
        /// The top-level value is complete; what follows it is not read.
        case end
    }

    enum Failure: Error, Equatable {
        /// The input ends inside a value.
        case truncated
        /// Not JSON at `line`: the text says what was found.
        case damaged(line: Int, String)
    }

    static let chunkSize = 64 * 1024
    static let stringLimit = 1 << 20
    static let depthLimit = 512

    private let source: any ImportByteSource
    private var buffer: [UInt8]
    private var position: Int
    /// Bytes of the source before `buffer[0]`.
    private var offset: Int64 = 0
    private var endOfInput = false
    /// 1-based line of `position`.
    private(set) var line = 1
    /// The line where the last event returned starts.
    private(set) var eventLine = 1
    /// The line where the entry `nextEntry` is reading starts, nil between entries: a cut file is reported at
    /// the entry it cuts.
    var entryLine: Int?
    private var stack: [UInt8] = []
    private var expecting = Expecting.value

    private enum Expecting { case value, firstKeyOrEnd, key, colon, firstValueOrEnd, commaOrEnd, done }

    /// Bytes of the source the parser has got past, for progress.
    var bytesRead: Int64 { offset + Int64(position) }
    /// Open objects and arrays around the parser's position.
    var depth: Int { stack.count }

    /// Parses `source` from `start` in `firstChunk` (bytes already read from it, after a prefix to leave out).
    init(source: any ImportByteSource, firstChunk: [UInt8], start: Int = 0) {
        self.source = source
        buffer = firstChunk
        position = start
        for byte in firstChunk[0..<start] where byte == 0x0A { line += 1 }
    }

    // MARK: Events

    func next() throws -> Event {
        while true {
            guard let byte = try peekSkippingWhitespace() else {
                if expecting == .done { return .end }
                throw Failure.truncated
            }
            eventLine = line
            switch expecting {
            case .done:
                return .end
            case .value:
                return try value(startingWith: byte)
            case .firstValueOrEnd:
                if byte == UInt8(ascii: "]") { return close(byte) }
                return try value(startingWith: byte)
            case .firstKeyOrEnd, .key:
                if expecting == .firstKeyOrEnd, byte == UInt8(ascii: "}") { return close(byte) }
                guard byte == UInt8(ascii: "\"") else { throw damaged("a key in quotes", found: byte) }
                position += 1
                expecting = .colon
                return .key(try string())
            case .colon:
                guard byte == UInt8(ascii: ":") else { throw damaged("a colon after the key", found: byte) }
                position += 1
                expecting = .value
            case .commaOrEnd:
                let open = stack.last == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == open { return close(byte) }
                guard byte == UInt8(ascii: ",") else {
                    throw damaged("a comma or \(Character(Unicode.Scalar(open)))", found: byte)
                }
                position += 1
                expecting = stack.last == UInt8(ascii: "{") ? .key : .value
            }
        }
    }

    /// Skips the value that starts at the next event (a whole object or array, with all inside it).
    func skipValue() throws {
        let start = depth
        repeat {
            switch try next() {
            case .objectEnd, .arrayEnd, .string, .number, .bool, .null, .objectStart, .arrayStart, .key: break
            case .end: return
            }
        } while depth > start
    }

    /// Reads the rest of the input, so progress reaches the end.
    func drain() throws {
        position = buffer.count
        while try refill(keepingFrom: position) {
            position = buffer.count
        }
    }

    private func close(_ byte: UInt8) -> Event {
        position += 1
        stack.removeLast()
        expecting = stack.isEmpty ? .done : .commaOrEnd
        return byte == UInt8(ascii: "}") ? .objectEnd : .arrayEnd
    }

    private func value(startingWith byte: UInt8) throws -> Event {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard stack.count < Self.depthLimit else {
                throw Failure.damaged(line: line, "nesting deeper than \(Self.depthLimit)")
            }
            position += 1
            stack.append(byte)
            expecting = byte == UInt8(ascii: "{") ? .firstKeyOrEnd : .firstValueOrEnd
            return byte == UInt8(ascii: "{") ? .objectStart : .arrayStart
        case UInt8(ascii: "\""):
            position += 1
            let text = try string()
            expecting = stack.isEmpty ? .done : .commaOrEnd
            return .string(text)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let event: Event =
                if try literal("true") { .bool(true) } else if try literal("false") {
                    .bool(false)
                } else if try literal("null") {
                    .null
                } else { throw damaged("a value", found: byte) }
            expecting = stack.isEmpty ? .done : .commaOrEnd
            return event
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try number()
            expecting = stack.isEmpty ? .done : .commaOrEnd
            return .number(text)
        default:
            throw damaged("a value", found: byte)
        }
    }

    // MARK: Bytes

    /// The next byte that is not JSON whitespace, not consumed; nil at the end of the input.
    private func peekSkippingWhitespace() throws -> UInt8? {
        while true {
            // Over the buffer's memory with locals: this runs once per byte between tokens.
            var index = position
            var lines = 0
            let found: UInt8? = buffer.withUnsafeBufferPointer { bytes in
                while index < bytes.count {
                    let byte = bytes[index]
                    switch byte {
                    case 0x20, 0x09, 0x0D: index += 1
                    case 0x0A:
                        lines += 1
                        index += 1
                    default: return byte
                    }
                }
                return nil
            }
            position = index
            line += lines
            if let found { return found }
            guard try refill(keepingFrom: position) else { return nil }
        }
    }

    /// Drops the bytes before `keep` and appends the next chunk; false at the end of the input.
    private func refill(keepingFrom keep: Int) throws -> Bool {
        guard !endOfInput else { return false }
        let chunk = try source.read(upToCount: Self.chunkSize)
        if chunk.isEmpty {
            endOfInput = true
            return false
        }
        if keep >= buffer.count {
            offset += Int64(buffer.count)
            position -= buffer.count
            buffer = chunk
        } else {
            offset += Int64(keep)
            position -= keep
            buffer.removeFirst(keep)
            buffer += chunk
        }
        return true
    }

    private func literal(_ word: StaticString) throws -> Bool {
        let count = word.utf8CodeUnitCount
        while buffer.count - position < count {
            guard try refill(keepingFrom: position) else { break }
        }
        guard buffer.count - position >= count else {
            // Cut inside the word: truncated if what there is starts it, damaged otherwise.
            let have = buffer[position...]
            if have.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: have.count)) {
                throw Failure.truncated
            }
            return false
        }
        for index in 0..<count where buffer[position + index] != word.utf8Start[index] { return false }
        position += count
        return true
    }

    private func number() throws -> String {
        var end = position
        while true {
            while end < buffer.count {
                switch buffer[end] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"),
                    UInt8(ascii: "E"):
                    end += 1
                    continue
                default: break
                }
                break
            }
            if end < buffer.count || endOfInput { break }
            let before = position
            guard try refill(keepingFrom: position) else { break }
            end -= before - position
        }
        let text = String(decoding: buffer[position..<end], as: UTF8.self)
        guard Self.isJSONNumber(buffer[position..<end]) else {
            throw Failure.damaged(line: line, "a number written \(text.prefix(40))")
        }
        if end == buffer.count, stack.isEmpty == false { throw Failure.truncated }
        position = end
        return text
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func isJSONNumber(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        func digits() -> Int {
            let start = index
            while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.endIndex else { return false }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { return false }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.endIndex
    }

    /// The string whose opening quote has been consumed.
    private func string() throws -> String {
        var start = position
        var end = position
        // Fast path: no escapes, the bytes are the string.
        while true {
            var closed = false
            buffer.withUnsafeBufferPointer { bytes in
                while end < bytes.count {
                    let byte = bytes[end]
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        return
                    }
                    if byte == UInt8(ascii: "\\") || byte < 0x20 { return }
                    end += 1
                }
            }
            if closed {
                guard end - start <= Self.stringLimit else {
                    throw Failure.damaged(line: line, "a string longer than a megabyte")
                }
                position = end + 1
                return buffer.withUnsafeBufferPointer {
                    String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
                }
            }
            if end < buffer.count { break }
            guard end - start <= Self.stringLimit else {
                throw Failure.damaged(line: line, "a string longer than a megabyte")
            }
            let before = start
            guard try refill(keepingFrom: start) else { throw Failure.truncated }
            start = position
            end -= before - start
        }
        var text = Array(buffer[start..<end])
        position = end
        while true {
            guard try position < buffer.count || refill(keepingFrom: position) else { throw Failure.truncated }
            // The plain bytes and whole escapes up to the next quote, control character, or escape this loop leaves
            // to `escape(into:)`, in one go over the buffer's memory: a byte at a time through the properties cost
            // an exclusivity check each (Facebook escapes every byte of a non-ASCII name, so its strings all come
            // this way).
            var index = position
            let stop: UInt8? = buffer.withUnsafeBufferPointer { bytes in
                var run = index
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") || byte < 0x20 { break }
                    if byte == UInt8(ascii: "\\") {
                        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                        guard let after = Self.inlineEscape(bytes, at: index, into: &text) else {
                            run = index
                            break
                        }
                        index = after
                        run = index
                        continue
                    }
                    index += 1
                }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                return index < bytes.count ? bytes[index] : nil
            }
            position = index
            guard text.count <= Self.stringLimit else {
                throw Failure.damaged(line: line, "a string longer than a megabyte")
            }
            guard let stop else { continue }
            position += 1
            switch stop {
            case UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &text)
            default:
                throw Failure.damaged(line: line, "a control character inside a string")
            }
            guard text.count <= Self.stringLimit else {
                throw Failure.damaged(line: line, "a string longer than a megabyte")
            }
        }
    }

    private func nextByte() throws -> UInt8 {
        guard try position < buffer.count || refill(keepingFrom: position) else { throw Failure.truncated }
        defer { position += 1 }
        return buffer[position]
    }

    private func escape(into text: inout [UInt8]) throws {
        let byte = try nextByte()
        if let simple = Self.simpleEscape(byte) {
            text.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw Failure.damaged(line: line, "an unknown escape \\\(Character(Unicode.Scalar(byte)))")
        }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate pairs with a following \uDC00-\uDFFF; alone it is not a character.
            if try peekSurrogateEscape() {
                let low = try hex4()
                scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
            } else {
                scalar = 0xFFFD
            }
        } else if (0xDC00..<0xE000).contains(scalar) {
            scalar = 0xFFFD
        }
        text.append(contentsOf: (Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
    }

    /// The escape at `index` (a backslash) appended to `text` as `escape(into:)` would append it, when it lies whole
    /// in `bytes` and is not a surrogate or an error; the index after it. Nil leaves it to `escape(into:)`.
    private static func inlineEscape(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, into text: inout [UInt8]
    ) -> Int? {
        guard index + 1 < bytes.count else { return nil }
        if let simple = simpleEscape(bytes[index + 1]) {
            text.append(simple)
            return index + 2
        }
        guard bytes[index + 1] == UInt8(ascii: "u"), index + 5 < bytes.count else { return nil }
        var scalar: UInt32 = 0
        for offset in 2..<6 {
            guard let digit = hexDigit(bytes[index + offset]) else { return nil }
            scalar = scalar << 4 | UInt32(digit)
        }
        guard !(0xD800..<0xE000).contains(scalar) else { return nil }
        // UTF-8 of a scalar of the Basic Multilingual Plane (no surrogates, so at most three bytes).
        if scalar < 0x80 {
            text.append(UInt8(scalar))
        } else if scalar < 0x800 {
            text.append(0xC0 | UInt8(scalar >> 6))
            text.append(0x80 | UInt8(scalar & 0x3F))
        } else {
            text.append(0xE0 | UInt8(scalar >> 12))
            text.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            text.append(0x80 | UInt8(scalar & 0x3F))
        }
        return index + 6
    }

    /// The byte a one-letter escape (`\n`, `\"`…) stands for; nil for `\u` and unknown escapes.
    private static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// True, with `\u` consumed, when the next bytes are `\u`.
    private func peekSurrogateEscape() throws -> Bool {
        while buffer.count - position < 2 {
            guard try refill(keepingFrom: position) else { return false }
        }
        guard buffer[position] == UInt8(ascii: "\\"), buffer[position + 1] == UInt8(ascii: "u") else { return false }
        position += 2
        return true
    }

    private func hex4() throws -> UInt32 {
        if buffer.count - position >= 4 {
            // All four in the buffer (nearly always): read them there, not through `nextByte`.
            var index = position
            let value: UInt32? = buffer.withUnsafeBufferPointer { bytes in
                var value: UInt32 = 0
                for _ in 0..<4 {
                    let byte = bytes[index]
                    index += 1
                    guard let digit = Self.hexDigit(byte) else { return nil }
                    value = value << 4 | UInt32(digit)
                }
                return value
            }
            position = index
            guard let value else { throw Failure.damaged(line: line, "a \\u escape that is not four hex digits") }
            return value
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(try nextByte()) else {
                throw Failure.damaged(line: line, "a \\u escape that is not four hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func damaged(_ expected: String, found byte: UInt8) -> Failure {
        let shown =
            (0x21..<0x7F).contains(byte)
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16, uppercase: true)
        return .damaged(line: line, "expected \(expected), found \(shown)")
    }
}
