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
            let value = MailHeaderText.decodeRaw(rawValue).trimmingSpaces()
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
                headers.subject = MailHeaderText.decodeEncodedWords(value).trimmingSpaces()
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

    /// The fields `parse` reads, lowercased. Everything else (Received, DKIM-Signature, ARC-…: most of a real
    /// header section) is passed over on bytes, never decoded.
    static let readFields: [[UInt8]] = [
        "from", "to", "cc", "bcc", "reply-to", "sender", "date", "subject", "message-id", "in-reply-to", "references",
        "list-id", "list-unsubscribe", "precedence", "x-gmail-labels",
    ].map { Array($0.utf8) }

    /// Header fields `parse` reads, as (lowercased name, value bytes with folds joined). Continuation lines (leading
    /// space or tab) join the field before with one space; lines that are neither a field nor a continuation, and
    /// the fields no import reads, are passed over.
    static func unfold(_ section: [UInt8]) -> [(String, [UInt8])] {
        var fields: [(String, [UInt8])] = []
        // Whether the last field line was one that is kept, so its continuation lines join it.
        var keepingLast = false
        section.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var end = lineEnd
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                guard end > lineStart else { continue }
                let first = bytes[lineStart]
                if first == 0x20 || first == 0x09 {
                    guard keepingLast else { continue }
                    var contentStart = lineStart
                    while contentStart < end, bytes[contentStart] == 0x20 || bytes[contentStart] == 0x09 { contentStart += 1 }
                    guard contentStart < end else { continue }
                    fields[fields.count - 1].1.append(0x20)
                    fields[fields.count - 1].1.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<end]))
                    continue
                }
                var colon = lineStart
                while colon < end, bytes[colon] != 0x3A { colon += 1 }
                // A line that is no field at all is ignored: a continuation after it still joins the field before.
                guard colon < end else { continue }
                // Field names are printable ASCII without spaces; obsolete syntax allows spaces before the colon.
                var nameEnd = colon
                while nameEnd > lineStart, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
                let name = UnsafeBufferPointer(rebasing: bytes[lineStart..<nameEnd])
                guard !name.isEmpty else { continue }
                guard let field = readField(name) else {
                    if name.allSatisfy({ (0x21...0x7E).contains($0) }) { keepingLast = false }
                    continue
                }
                var valueStart = colon + 1
                while valueStart < end, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
                fields.append((field, Array(UnsafeBufferPointer(rebasing: bytes[valueStart..<end]))))
                keepingLast = true
            }
        }
        return fields
    }

    /// The lowercased name when `name` is one of `readFields` in any case, else `nil` (with no allocation).
    private static func readField(_ name: UnsafeBufferPointer<UInt8>) -> String? {
        candidates: for candidate in readFields where candidate.count == name.count {
            for (index, byte) in name.enumerated() {
                let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                guard lower == candidate[index] else { continue candidates }
            }
            return String(decoding: candidate, as: UTF8.self)
        }
        return nil
    }

    /// `<a@b> <c@d>` → ["a@b", "c@d"]; text without angle brackets is split on whitespace and commas.
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        // On UTF-8 bytes: the brackets are ASCII, so slicing there never splits a character.
        let bytes = Array(value.utf8)
        var rest = bytes[...]
        while let open = rest.firstIndex(of: 0x3C) {
            guard let close = rest[open...].firstIndex(of: 0x3E) else { break }
            let id = String(decoding: bytes[(open + 1)..<close], as: UTF8.self).trimmingSpaces()
            if !id.isEmpty { ids.append(id) }
            rest = bytes[(close + 1)...]
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
            let label = MailHeaderText.decodeEncodedWords(current).trimmingSpaces()
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
