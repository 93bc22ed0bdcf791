import Foundation

/// A message's header section (bytes, LF-separated, CRs left in) to `MailHeaders`.
enum MailHeaderParser {
    /// `nil` when the section has no header field at all.
    static func parse(_ section: [UInt8], line: Int) -> MailHeaders? {
        let fields = unfold(section)
        guard !fields.isEmpty else { return nil }
        var headers = MailHeaders(line: line)
        var seen: Set<String> = []
        for (name, rawValue) in fields {
            let value = MailHeaderText.decodeRaw(rawValue).trimmingCharacters(in: .whitespaces)
            let first = seen.insert(name).inserted
            switch name {
            // Address headers repeated (broken mailers do that) add up; other headers keep their first value.
            case "from": headers.from += MailAddressList.parse(value)
            case "to": headers.to += MailAddressList.parse(value)
            case "cc": headers.cc += MailAddressList.parse(value)
            case "bcc": headers.bcc += MailAddressList.parse(value)
            case "reply-to": headers.replyTo += MailAddressList.parse(value)
            case "sender": headers.sender += MailAddressList.parse(value)
            case "date" where first: headers.date = MailDate.parse(value)
            case "subject" where first:
                headers.subject = MailHeaderText.decodeEncodedWords(value).trimmingCharacters(in: .whitespaces)
            case "message-id" where first: headers.messageID = messageIDs(value).first
            case "in-reply-to" where first: headers.inReplyTo = messageIDs(value).first
            case "references" where first: headers.references = messageIDs(value)
            case "list-id" where first:
                headers.listID = messageIDs(value).first.map { MailHeaderText.decodeEncodedWords($0) }
            case "list-unsubscribe" where first: headers.listUnsubscribe = value
            case "precedence" where first: headers.precedence = value
            case "x-gmail-labels" where first: headers.gmailLabels = labels(value)
            default: continue
            }
        }
        return headers
    }

    /// Header fields as (lowercased name, value bytes with folds joined). Continuation lines (leading space or tab)
    /// join the field before with one space; lines that are neither a field nor a continuation are ignored.
    static func unfold(_ section: [UInt8]) -> [(String, [UInt8])] {
        var fields: [(String, [UInt8])] = []
        for var line in section.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.last == 0x0D { line = line.dropLast() }
            guard let first = line.first else { continue }
            if first == 0x20 || first == 0x09 {
                guard !fields.isEmpty else { continue }
                let content = line.drop { $0 == 0x20 || $0 == 0x09 }
                guard !content.isEmpty else { continue }
                fields[fields.count - 1].1.append(0x20)
                fields[fields.count - 1].1.append(contentsOf: content)
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            // Field names are printable ASCII without spaces; obsolete syntax allows spaces before the colon.
            var nameBytes = line[line.startIndex..<colon]
            while let last = nameBytes.last, last == 0x20 || last == 0x09 { nameBytes = nameBytes.dropLast() }
            guard !nameBytes.isEmpty, nameBytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { continue }
            let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
            fields.append((name, Array(line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 })))
        }
        return fields
    }

    /// `<a@b> <c@d>` → ["a@b", "c@d"]; text without angle brackets is split on whitespace and commas.
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            ids = value.split { $0 == " " || $0 == "\t" || $0 == "," }.map(String.init)
        }
        return ids
    }

    /// X-Gmail-Labels: `Inbox,Important,"Work, 2024",Opened` (commas inside quotes belong to the label).
    static func labels(_ value: String) -> [String] {
        var labels: [String] = []
        var current = ""
        var quoted = false
        func flush() {
            let label = MailHeaderText.decodeEncodedWords(current).trimmingCharacters(in: .whitespaces)
            if !label.isEmpty { labels.append(label) }
            current = ""
        }
        for character in value {
            switch character {
            case "\"": quoted.toggle()
            case "," where !quoted: flush()
            default: current.append(character)
            }
        }
        flush()
        return labels
    }
}
