import Foundation

/// RFC 5322 address lists as mail really has them: quoted names with commas, comments, groups, bare and
/// angle addresses, encoded-word names, and the unquoted `Oster, Dana <dana@example.com>` of some exporters.
enum MailAddressList {
    private enum Token {
        case word(String)  // an atom, or a run of other text (dots, @, ...)
        case quoted(String)  // a quoted string's content, unescaped
        case comment(String)
        case angle(String)
        case comma, colon, semicolon, space
    }

    static func parse(_ text: String) -> [MailboxAddress] {
        var result: [MailboxAddress] = []
        var current: [Token] = []
        // A piece with no address before a named angle address: the first half of an unquoted "Last, First".
        var danglingName: String?
        var inGroup = false

        func finish() {
            defer { current = [] }
            guard var mailbox = mailbox(from: current) else {
                if let name = phrase(current) { danglingName = danglingName.map { "\($0), \(name)" } ?? name }
                return
            }
            if let dangling = danglingName, let name = mailbox.name, hasAngle(current) {
                mailbox.name = "\(dangling), \(name)"
            }
            danglingName = nil
            result.append(mailbox)
        }

        for token in tokens(text) {
            switch token {
            case .comma:
                finish()
            case .colon where !inGroup && !hasAngle(current):
                // A group: its display name names no one.
                current = []
                danglingName = nil
                inGroup = true
            case .semicolon:
                finish()
                danglingName = nil
                inGroup = false
            default:
                current.append(token)
            }
        }
        finish()
        return result
    }

    private static func hasAngle(_ tokens: [Token]) -> Bool {
        tokens.contains { if case .angle = $0 { true } else { false } }
    }

    private static func mailbox(from tokens: [Token]) -> MailboxAddress? {
        let comment = tokens.lazy.compactMap { token -> String? in
            if case .comment(let text) = token { cleanName(text) } else { nil }
        }.first
        if let angle = tokens.lazy.compactMap({ token -> String? in
            if case .angle(let text) = token { text } else { nil }
        }).first {
            var address = angle.trimmingSpaces()
            // Obsolete source route: <@relay.example:dana@example.com>
            if address.hasPrefix("@"), let colon = address.lastIndex(of: ":") {
                address = String(address[address.index(after: colon)...])
            }
            guard !address.isEmpty else { return nil }
            return MailboxAddress(name: phrase(tokens) ?? comment, address: address)
        }
        // No angle brackets: the address is the words run together; `Dana Oster dana@example.com` names it.
        var pieces: [[Token]] = [[]]
        for token in tokens {
            switch token {
            case .space: if !(pieces.last?.isEmpty ?? true) { pieces.append([]) }
            case .word, .quoted: pieces[pieces.count - 1].append(token)
            default: continue
            }
        }
        pieces.removeAll { $0.isEmpty }
        let written = pieces.map { piece in
            piece.map { token -> String in
                switch token {
                case .word(let text): text
                case .quoted(let text): "\"\(text)\""
                default: ""
                }
            }.joined()
        }
        guard let last = written.last, last.utf8.contains(0x40) else { return nil }
        var name = comment
        if written.count > 1, name == nil {
            let words = pieces.dropLast().map { piece in
                piece.map { token -> String in
                    switch token {
                    case .word(let text), .quoted(let text): text
                    default: ""
                    }
                }.joined()
            }
            name = cleanName(words.joined(separator: " "))
        }
        return MailboxAddress(name: name, address: last.trimmingSpaces())
    }

    /// The display name: words and quoted strings before the angle address, joined by single spaces, decoded.
    private static func phrase(_ tokens: [Token]) -> String? {
        var parts: [String] = []
        var pendingSpace = false
        for token in tokens {
            switch token {
            case .word(let text), .quoted(let text):
                if pendingSpace, !parts.isEmpty { parts.append(" ") }
                parts.append(text)
                pendingSpace = false
            case .space, .comment:
                pendingSpace = true
            case .angle:
                return cleanName(parts.joined())
            default:
                continue
            }
        }
        return cleanName(parts.joined())
    }

    private static func cleanName(_ raw: String) -> String? {
        var name = MailHeaderText.decodeEncodedWords(raw).trimmingSpacesAndNewlines()
        // 'Dana Oster' (Outlook) and a name quoted inside an encoded word.
        for quote in [UInt8(ascii: "'"), UInt8(ascii: "\"")] where name.utf8.count >= 2 && name.utf8.first == quote && name.utf8.last == quote {
            name = String(name.dropFirst().dropLast()).trimmingSpaces()
        }
        return name.isEmpty ? nil : name
    }

    /// Tokenizes on UTF-8 bytes: every delimiter is ASCII, so a multi-byte character can never be split, and
    /// words become strings in one step instead of a scalar at a time.
    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            var wordStart: Int?
            func flushWord(at end: Int) {
                if let start = wordStart, start < end { tokens.append(.word(string(bytes, start..<end))) }
                wordStart = nil
            }
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x22:  // "
                    flushWord(at: index)
                    var content: [UInt8] = []
                    index += 1
                    while index < bytes.count, bytes[index] != 0x22 {
                        if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
                        content.append(bytes[index])
                        index += 1
                    }
                    tokens.append(.quoted(String(decoding: content, as: UTF8.self)))
                case 0x28:  // (
                    flushWord(at: index)
                    var depth = 1
                    var content: [UInt8] = []
                    index += 1
                    while index < bytes.count {
                        let inner = bytes[index]
                        if inner == 0x5C, index + 1 < bytes.count {
                            index += 1
                            content.append(bytes[index])
                        } else if inner == 0x28 {
                            depth += 1
                            content.append(inner)
                        } else if inner == 0x29 {
                            depth -= 1
                            if depth == 0 { break }
                            content.append(inner)
                        } else {
                            content.append(inner)
                        }
                        index += 1
                    }
                    tokens.append(.comment(String(decoding: content, as: UTF8.self)))
                case 0x3C:  // <
                    flushWord(at: index)
                    let start = index + 1
                    index = start
                    while index < bytes.count, bytes[index] != 0x3E { index += 1 }
                    tokens.append(.angle(string(bytes, start..<index)))
                case 0x2C: flushWord(at: index); tokens.append(.comma)
                case 0x3A: flushWord(at: index); tokens.append(.colon)
                case 0x3B: flushWord(at: index); tokens.append(.semicolon)
                case 0x20, 0x09, 0x0D, 0x0A:
                    flushWord(at: index)
                    if case .space = tokens.last {} else { tokens.append(.space) }
                default:
                    if wordStart == nil { wordStart = index }
                }
                index += 1
            }
            flushWord(at: bytes.count)
        }
        return tokens
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
