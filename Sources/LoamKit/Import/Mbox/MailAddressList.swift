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
            var address = angle.trimmingCharacters(in: .whitespaces)
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
        guard let last = written.last, last.contains("@") else { return nil }
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
        return MailboxAddress(name: name, address: last.trimmingCharacters(in: .whitespaces))
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
        var name = MailHeaderText.decodeEncodedWords(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        // 'Dana Oster' (Outlook) and a name quoted inside an encoded word.
        for quote in ["'", "\""] where name.count >= 2 && name.hasPrefix(quote) && name.hasSuffix(quote) {
            name = String(name.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return name.isEmpty ? nil : name
    }

    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var word = String.UnicodeScalarView()
        func flushWord() {
            if !word.isEmpty { tokens.append(.word(String(word))) }
            word = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\"":
                flushWord()
                var content = String.UnicodeScalarView()
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    content.append(scalars[index])
                    index += 1
                }
                tokens.append(.quoted(String(content)))
            case "(":
                flushWord()
                var depth = 1
                var content = String.UnicodeScalarView()
                index += 1
                while index < scalars.count {
                    let inner = scalars[index]
                    if inner == "\\", index + 1 < scalars.count {
                        index += 1
                        content.append(scalars[index])
                    } else if inner == "(" {
                        depth += 1
                        content.append(inner)
                    } else if inner == ")" {
                        depth -= 1
                        if depth == 0 { break }
                        content.append(inner)
                    } else {
                        content.append(inner)
                    }
                    index += 1
                }
                tokens.append(.comment(String(content)))
            case "<":
                flushWord()
                var content = String.UnicodeScalarView()
                index += 1
                while index < scalars.count, scalars[index] != ">" {
                    content.append(scalars[index])
                    index += 1
                }
                tokens.append(.angle(String(content)))
            case ",": flushWord(); tokens.append(.comma)
            case ":": flushWord(); tokens.append(.colon)
            case ";": flushWord(); tokens.append(.semicolon)
            case " ", "\t", "\r", "\n":
                flushWord()
                if case .space = tokens.last {} else { tokens.append(.space) }
            default:
                word.append(scalar)
            }
            index += 1
        }
        flushWord()
        return tokens
    }
}
