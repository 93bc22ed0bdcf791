import Foundation

/// RFC 5322 address lists as mail really has them: quoted names with commas, comments, groups, bare and
/// angle addresses, encoded-word names, and the unquoted `Oster, Dana <dana@example.com>` of some exporters.
///
/// Parsed on the value's UTF-8 bytes: every delimiter is ASCII, so a multi-byte character is never split; tokens
/// are ranges of the bytes, and a `String` is built only for each address and name that comes out (a profile of
/// the mbox reader found the strings of the earlier token-by-token version taking most of its time).
enum MailAddressList {
    fileprivate struct Token {
        enum Kind { case word, quoted, comment, angle, comma, colon, semicolon, space }
        var kind: Kind
        /// Where the token's text is: an atom or other run of text (dots, @, …), the inside of an angle address, or
        /// the inside of a quoted string or comment still escaped (`appendText` unescapes).
        var range: Range<Int>
    }

    static func parse(_ text: String) -> [MailboxAddress] {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// The parser's arrays, which a caller reading many lists keeps to spare their allocations.
    struct Buffers {
        fileprivate var tokens: [Token] = []
        fileprivate var text: [UInt8] = []
        fileprivate var decoded: [UInt8] = []
    }

    /// `bytes` must be valid UTF-8 (the header parser decodes raw bytes first).
    static func parse(_ bytes: MailByteBuffer) -> [MailboxAddress] {
        var buffers = Buffers()
        return parse(bytes, reusing: &buffers)
    }

    static func parse(_ bytes: MailByteBuffer, reusing buffers: inout Buffers) -> [MailboxAddress] {
        tokenize(bytes, into: &buffers.tokens)
        var list = ListParser(bytes: bytes, scratch: buffers.text, decoded: buffers.decoded)
        buffers.text = []
        buffers.decoded = []
        // The tokens are read through a pointer: slicing the array for every question asked of a piece retained
        // and released its storage each time.
        let result = buffers.tokens.withUnsafeBufferPointer { list.run(over: $0) }
        buffers.text = list.scratch
        buffers.decoded = list.decoded
        return result
    }

    /// The list's state as it is read: the current piece is `tokens[pieceStart..<index]`.
    private struct ListParser {
        let bytes: MailByteBuffer
        var tokens = UnsafeBufferPointer<Token>(start: nil, count: 0)
        var result: [MailboxAddress] = []
        var pieceStart = 0
        // A piece with no address before a named angle address: the first half of an unquoted "Last, First".
        var danglingName: String?
        var inGroup = false
        /// Text being put together (a phrase, an address written in pieces), reused from mailbox to mailbox.
        var scratch: [UInt8]
        /// A name with its encoded words decoded.
        var decoded: [UInt8]

        init(bytes: MailByteBuffer, scratch: [UInt8], decoded: [UInt8]) {
            self.bytes = bytes
            self.scratch = scratch
            self.decoded = decoded
        }

        /// `tokens` is valid only during the call.
        mutating func run(over tokens: UnsafeBufferPointer<Token>) -> [MailboxAddress] {
            self.tokens = tokens
            defer { self.tokens = UnsafeBufferPointer(start: nil, count: 0) }
            for index in tokens.indices {
                switch tokens[index].kind {
                case .comma:
                    finish(at: index)
                case .colon where !inGroup && !hasAngle(pieceStart..<index):
                    // A group: its display name names no one.
                    pieceStart = index + 1
                    danglingName = nil
                    inGroup = true
                case .semicolon:
                    finish(at: index)
                    danglingName = nil
                    inGroup = false
                default:
                    continue
                }
            }
            finish(at: tokens.count)
            return result
        }

        private mutating func finish(at end: Int) {
            let piece = pieceStart..<end
            pieceStart = end + 1
            guard var mailbox = mailbox(piece) else {
                if let name = phrase(piece) { danglingName = danglingName.map { "\($0), \(name)" } ?? name }
                return
            }
            if let dangling = danglingName, let name = mailbox.name, hasAngle(piece) {
                mailbox.name = "\(dangling), \(name)"
            }
            danglingName = nil
            result.append(mailbox)
        }

        private func hasAngle(_ piece: Range<Int>) -> Bool {
            tokens[piece].contains { $0.kind == .angle }
        }

        /// The first comment of the piece that makes a name.
        private mutating func commentName(_ piece: Range<Int>) -> String? {
            for token in tokens[piece] where token.kind == .comment {
                scratch.removeAll(keepingCapacity: true)
                appendText(token, to: &scratch)
                if let name = cleanName() { return name }
            }
            return nil
        }

        private mutating func mailbox(_ piece: Range<Int>) -> MailboxAddress? {
            if let angle = tokens[piece].first(where: { $0.kind == .angle }) {
                let trimmed = MailBytes.trimmedSpaces(bytes, angle.range)
                var address: String
                if !trimmed.isEmpty, bytes[trimmed.lowerBound] == 0x40 {
                    // Obsolete source route: <@relay.example:dana@example.com>. Rare, so read with `Character`s as
                    // written, which is what a `:` followed by a combining mark needs.
                    address = MailBytes.string(bytes, trimmed)
                    if address.hasPrefix("@"), let colon = address.lastIndex(of: ":") {
                        address = String(address[address.index(after: colon)...])
                    }
                } else {
                    address = MailBytes.string(bytes, trimmed)
                }
                guard !address.isEmpty else { return nil }
                return MailboxAddress(name: phrase(piece) ?? commentName(piece), address: address)
            }
            // No angle brackets: the address is the words run together; `Dana Oster dana@example.com` names it.
            // Words are runs of word and quoted tokens between spaces (comments and colons inside are passed over).
            guard let last = lastWords(piece) else { return nil }
            let address: String
            if let single = singleWord(last) {
                guard MailBytes.firstIndex(of: 0x40, in: bytes, single) != nil else { return nil }
                address = MailBytes.string(bytes, MailBytes.trimmedSpaces(bytes, single))
            } else {
                scratch.removeAll(keepingCapacity: true)
                for token in tokens[last] {
                    switch token.kind {
                    case .word: scratch.append(contentsOf: MailByteBuffer(rebasing: bytes[token.range]))
                    case .quoted:
                        scratch.append(0x22)
                        appendText(token, to: &scratch)
                        scratch.append(0x22)
                    default: continue
                    }
                }
                guard scratch.contains(0x40) else { return nil }
                address = scratch.withUnsafeBufferPointer {
                    MailBytes.string($0, MailBytes.trimmedSpaces($0, 0..<$0.count))
                }
            }
            var name = commentName(piece)
            if name == nil, hasWords(piece.lowerBound..<last.lowerBound) {
                // The words before the last, each run together, joined by single spaces.
                scratch.removeAll(keepingCapacity: true)
                var wordsStarted = false
                var spaceSeen = false
                for token in tokens[piece.lowerBound..<last.lowerBound] {
                    switch token.kind {
                    case .space:
                        spaceSeen = true
                    case .word, .quoted:
                        if spaceSeen, wordsStarted { scratch.append(0x20) }
                        spaceSeen = false
                        wordsStarted = true
                        appendText(token, to: &scratch)
                    default: continue
                    }
                }
                name = cleanName()
            }
            return MailboxAddress(name: name, address: address)
        }

        /// The token range of the piece's last run of words: from after the last space that has a word after it.
        private func lastWords(_ piece: Range<Int>) -> Range<Int>? {
            var end = piece.upperBound
            while end > piece.lowerBound, !isWord(tokens[end - 1]) { end -= 1 }
            guard end > piece.lowerBound else { return nil }
            var start = end
            while start > piece.lowerBound, tokens[start - 1].kind != .space { start -= 1 }
            return start..<end
        }

        /// The byte range of a run of words that is one plain word (the usual bare address), else `nil`.
        private func singleWord(_ run: Range<Int>) -> Range<Int>? {
            var found: Range<Int>?
            for token in tokens[run] where isWord(token) {
                guard found == nil, token.kind == .word else { return nil }
                found = token.range
            }
            return found
        }

        private func isWord(_ token: Token) -> Bool { token.kind == .word || token.kind == .quoted }

        private func hasWords(_ range: Range<Int>) -> Bool { tokens[range].contains { isWord($0) } }

        /// The display name: words and quoted strings before the angle address, joined by single spaces, decoded.
        private mutating func phrase(_ piece: Range<Int>) -> String? {
            if let plain = plainPhrase(piece) { return cleanName(MailByteBuffer(rebasing: bytes[plain])) }
            scratch.removeAll(keepingCapacity: true)
            var pendingSpace = false
            var hasParts = false
            loop: for token in tokens[piece] {
                switch token.kind {
                case .word, .quoted:
                    if pendingSpace, hasParts { scratch.append(0x20) }
                    appendText(token, to: &scratch)
                    hasParts = true
                    pendingSpace = false
                case .space, .comment:
                    pendingSpace = true
                case .angle:
                    break loop
                default:
                    continue
                }
            }
            return cleanName()
        }

        /// Where the phrase lies as it is in the bytes, when joining its parts would copy them unchanged: words
        /// one space apart (`Dana Oster <…>`), or one quoted string without escapes (`"Oster, Dana" <…>`).
        private func plainPhrase(_ piece: Range<Int>) -> Range<Int>? {
            var found: Range<Int>?
            var spaceAfterFound = false
            var quoted = false
            for token in tokens[piece] {
                switch token.kind {
                case .word:
                    guard !quoted else { return nil }
                    if let previous = found {
                        guard spaceAfterFound, token.range.lowerBound == previous.upperBound + 1,
                            bytes[previous.upperBound] == 0x20
                        else { return nil }
                        found = previous.lowerBound..<token.range.upperBound
                    } else {
                        found = token.range
                    }
                    spaceAfterFound = false
                case .quoted:
                    guard found == nil, MailBytes.firstIndex(of: 0x5C, in: bytes, token.range) == nil else {
                        return nil
                    }
                    found = token.range
                    quoted = true
                case .space:
                    spaceAfterFound = found != nil
                case .angle:
                    return found
                default:
                    return nil
                }
            }
            return found
        }

        /// A token's text, a quoted string's or comment's unescaped (a backslash takes the byte after it).
        private func appendText(_ token: Token, to text: inout [UInt8]) {
            let range = token.range
            guard token.kind == .quoted || token.kind == .comment,
                MailBytes.firstIndex(of: 0x5C, in: bytes, range) != nil
            else {
                text.append(contentsOf: MailByteBuffer(rebasing: bytes[range]))
                return
            }
            var index = range.lowerBound
            while index < range.upperBound {
                if bytes[index] == 0x5C, index + 1 < range.upperBound { index += 1 }
                text.append(bytes[index])
                index += 1
            }
        }

        /// `scratch` as a name is kept: encoded words decoded, trimmed, and the quotes around it removed ('Dana
        /// Oster' from Outlook, or a name quoted inside an encoded word); `nil` when nothing is left.
        private mutating func cleanName() -> String? {
            var text: [UInt8] = []
            swap(&text, &scratch)
            defer { swap(&text, &scratch) }
            return text.withUnsafeBufferPointer { cleanName($0) }
        }

        private mutating func cleanName(_ raw: MailByteBuffer) -> String? {
            guard MailHeaderText.mayHoldEncodedWords(raw) else { return MailAddressList.cleanDecodedName(raw) }
            decoded.removeAll(keepingCapacity: true)
            MailHeaderText.appendDecodingEncodedWords(raw, to: &decoded)
            return decoded.withUnsafeBufferPointer { MailAddressList.cleanDecodedName($0) }
        }
    }

    /// The quotes a name may be wrapped in, in the order they come off: ' in the first pass, " in the second.
    private static func nameQuote(pass: Int) -> UInt8 { pass == 0 ? 0x27 : 0x22 }

    private static func cleanDecodedName(_ name: MailByteBuffer) -> String? {
        var range = MailBytes.trimmedSpacesAndNewlines(name, 0..<name.count)
        for pass in 0..<2 {
            let quote = nameQuote(pass: pass)
            guard range.count >= 2, name[range.lowerBound] == quote, name[range.upperBound - 1] == quote else {
                continue
            }
            // The quotes come off as the `Character`s they are; next to ASCII a quote is a `Character` of its own,
            // next to anything else (a combining mark joins it) the rest is done on a `String`.
            guard name[range.lowerBound + 1] < 0x80, name[range.upperBound - 2] < 0x80 else {
                return stripQuotes(MailBytes.string(name, range), from: pass)
            }
            range = MailBytes.trimmedSpaces(name, (range.lowerBound + 1)..<(range.upperBound - 1))
        }
        return range.isEmpty ? nil : MailBytes.string(name, range)
    }

    private static func stripQuotes(_ trimmed: String, from first: Int) -> String? {
        var name = trimmed
        for pass in first..<2 {
            let quote = nameQuote(pass: pass)
            guard name.utf8.count >= 2, name.utf8.first == quote, name.utf8.last == quote else { continue }
            name = String(name.dropFirst().dropLast()).trimmingSpaces()
        }
        return name.isEmpty ? nil : name
    }

    /// Tokenizes on UTF-8 bytes; quoted strings and comments are found with their escapes, which are left in.
    private static func tokenize(_ bytes: MailByteBuffer, into tokens: inout [Token]) {
        tokens.removeAll(keepingCapacity: true)
        var index = 0
        func append(_ kind: Token.Kind, at position: Int) {
            tokens.append(Token(kind: kind, range: position..<position))
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22:  // "
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
                    index += 1
                }
                tokens.append(Token(kind: .quoted, range: start..<index))
            case 0x28:  // (
                var depth = 1
                index += 1
                let start = index
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == 0x5C, index + 1 < bytes.count {
                        index += 1
                    } else if inner == 0x28 {
                        depth += 1
                    } else if inner == 0x29 {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    index += 1
                }
                tokens.append(Token(kind: .comment, range: start..<index))
            case 0x3C:  // <
                let start = index + 1
                index = start
                while index < bytes.count, bytes[index] != 0x3E { index += 1 }
                tokens.append(Token(kind: .angle, range: start..<index))
            case 0x2C: append(.comma, at: index)
            case 0x3A: append(.colon, at: index)
            case 0x3B: append(.semicolon, at: index)
            case 0x20, 0x09, 0x0D, 0x0A:
                if tokens.last?.kind != .space { tokens.append(Token(kind: .space, range: index..<index)) }
            default:
                // A word runs to the next byte that means something here: passed in a tight loop.
                let start = index
                while index + 1 < bytes.count, !isDelimiter(bytes[index + 1]) { index += 1 }
                tokens.append(Token(kind: .word, range: start..<(index + 1)))
            }
            index += 1
        }
    }

    /// The bytes `tokenize` stops a word at (all below 0x40, so one 64-bit mask holds them): tab, LF, CR, space,
    /// `"`, `(`, `,`, `:`, `;`, `<`.
    private static let delimiters: UInt64 = 0x1C00_1105_0000_2600

    @inline(__always) private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte < 0x40 && delimiters & (1 << UInt64(byte)) != 0
    }
}
