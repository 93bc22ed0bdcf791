import Foundation

/// A message's header section (bytes, LF-separated, CRs left in) to `MailHeaders`.
///
/// Works on the section's bytes where it lies (the reader's buffer): the fields an import reads are found, unfolded
/// into one reused buffer, and each value is parsed from its UTF-8 into the strings `MailHeaders` holds, with no
/// `String` for a whole value in between.
enum MailHeaderParser {
    /// The fields `parse` reads. Everything else (Received, DKIM-Signature, ARC-…: most of a real header section)
    /// is passed over on bytes, never decoded.
    enum Field: Int {
        case from, to, cc, bcc, replyTo, sender, date, subject, messageID, inReplyTo, references, listID
        case listUnsubscribe, precedence, gmailLabels

        var isAddressList: Bool { rawValue <= Field.sender.rawValue }
    }

    /// The header fields `parse` reads, unfolded (each value's bytes in `values`), taken a line at a time: the
    /// reader hands it each header line as it finds it, so a section's lines are looked for once.
    struct UnfoldedFields {
        var values: [UInt8] = []
        var fields: [(field: Field, value: Range<Int>)] = []
        /// Whether the last field line was one that is kept, so its continuation lines join it.
        private var keepingLast = false
        /// Buffers of the address parser, reused from header to header.
        var addressBuffers = MailAddressList.Buffers()

        mutating func removeAll() {
            values.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            keepingLast = false
        }

        /// One line of the section, without its LF. Continuation lines (leading space or tab) join the field before
        /// with one space; lines that are neither a field nor a continuation, and the fields no import reads, are
        /// passed over.
        mutating func add(line: Range<Int>, of section: MailByteBuffer) {
            var end = line.upperBound
            if end > line.lowerBound, section[end - 1] == 0x0D { end -= 1 }
            guard end > line.lowerBound else { return }
            let first = section[line.lowerBound]
            if first == 0x20 || first == 0x09 {
                guard keepingLast else { return }
                var contentStart = line.lowerBound
                while contentStart < end, section[contentStart] == 0x20 || section[contentStart] == 0x09 {
                    contentStart += 1
                }
                guard contentStart < end else { return }
                values.append(0x20)
                values.append(contentsOf: MailByteBuffer(rebasing: section[contentStart..<end]))
                fields[fields.count - 1].value = fields[fields.count - 1].value.lowerBound..<values.count
                return
            }
            // A line that is no field at all is ignored: a continuation after it still joins the field before.
            // (A byte loop: the colon is a few bytes in, too near for `memchr` to pay.)
            var colon = line.lowerBound
            while colon < end, section[colon] != 0x3A { colon += 1 }
            guard colon < end else { return }
            // Field names are printable ASCII without spaces; obsolete syntax allows spaces before the colon.
            var nameEnd = colon
            while nameEnd > line.lowerBound, section[nameEnd - 1] == 0x20 || section[nameEnd - 1] == 0x09 {
                nameEnd -= 1
            }
            guard nameEnd > line.lowerBound else { return }
            guard let field = readField(section, line.lowerBound..<nameEnd) else {
                if section[line.lowerBound..<nameEnd].allSatisfy({ (0x21...0x7E).contains($0) }) { keepingLast = false }
                return
            }
            var valueStart = colon + 1
            while valueStart < end, section[valueStart] == 0x20 || section[valueStart] == 0x09 { valueStart += 1 }
            let start = values.count
            values.append(contentsOf: MailByteBuffer(rebasing: section[valueStart..<end]))
            fields.append((field, start..<values.count))
            keepingLast = true
        }
    }

    /// `nil` when the section has no header field that is read.
    static func parse(_ section: [UInt8], line: Int) -> MailHeaders? {
        var unfolded = UnfoldedFields()
        section.withUnsafeBufferPointer { unfold($0, into: &unfolded) }
        return parse(&unfolded, line: line)
    }

    /// Every line of `section` into `unfolded`, which is emptied first.
    static func unfold(_ section: MailByteBuffer, into unfolded: inout UnfoldedFields) {
        unfolded.removeAll()
        var lineStart = 0
        while lineStart < section.count {
            let lineEnd = MailBytes.firstIndex(of: 0x0A, in: section, lineStart..<section.count) ?? section.count
            unfolded.add(line: lineStart..<lineEnd, of: section)
            lineStart = lineEnd + 1
        }
    }

    /// The headers of the unfolded fields; `nil` when there is none. `unfolded` is kept by the caller from message
    /// to message for its buffers.
    static func parse(_ unfolded: inout UnfoldedFields, line: Int) -> MailHeaders? {
        guard !unfolded.fields.isEmpty else { return nil }
        var headers = MailHeaders(line: line)
        var seen: UInt32 = 0
        var addressBuffers = MailAddressList.Buffers()
        swap(&addressBuffers, &unfolded.addressBuffers)
        defer { swap(&addressBuffers, &unfolded.addressBuffers) }
        unfolded.values.withUnsafeBufferPointer { values in
            for (field, range) in unfolded.fields {
                let first = seen & 1 << field.rawValue == 0
                seen |= 1 << field.rawValue
                guard first || field.isAddressList else { continue }
                // Raw bytes are UTF-8 when valid, else Windows-1252 (`MailHeaderText.decodeRaw`): either way the value
                // is read as UTF-8 from here on.
                let raw = MailByteBuffer(rebasing: values[range])
                if MailBytes.isValidUTF8(raw) {
                    read(
                        field, MailByteBuffer(rebasing: raw[MailBytes.trimmedSpaces(raw, 0..<raw.count)]),
                        into: &headers,
                        addressBuffers: &addressBuffers)
                } else {
                    let converted = Array(MailHeaderText.windows1252(raw).utf8)
                    converted.withUnsafeBufferPointer { value in
                        read(
                            field, MailByteBuffer(rebasing: value[MailBytes.trimmedSpaces(value, 0..<value.count)]),
                            into: &headers,
                            addressBuffers: &addressBuffers)
                    }
                }
            }
        }
        return headers
    }

    /// Sets one field from its (decoded, trimmed) value. Address headers repeated (broken mailers do that) add up;
    /// other headers keep their first value.
    private static func read(
        _ field: Field, _ value: MailByteBuffer, into headers: inout MailHeaders,
        addressBuffers: inout MailAddressList.Buffers
    ) {
        func addresses() -> [MailboxAddress] { MailAddressList.parse(value, reusing: &addressBuffers) }
        switch field {
        case .from:
            let found = addresses()
            // Only when no address came out (rare), so the common case pays nothing for the check.
            if found.isEmpty, isNullPath(value) { headers.hasNullSender = true }
            add(found, to: &headers.from)
        case .to: add(addresses(), to: &headers.to)
        case .cc: add(addresses(), to: &headers.cc)
        case .bcc: add(addresses(), to: &headers.bcc)
        case .replyTo: add(addresses(), to: &headers.replyTo)
        case .sender:
            let found = addresses()
            if found.isEmpty, isNullPath(value) { headers.hasNullSender = true }
            add(found, to: &headers.sender)
        case .date: headers.date = MailDate.parse(value)
        case .subject: headers.subject = decodedText(value)
        case .messageID: headers.messageID = messageIDs(value, limit: 1).first
        case .inReplyTo: headers.inReplyTo = messageIDs(value, limit: 1).first
        case .references: headers.references = messageIDs(value)
        case .listID: headers.listID = messageIDs(value, limit: 1).first.map { MailHeaderText.decodeEncodedWords($0) }
        case .listUnsubscribe: headers.listUnsubscribe = MailBytes.string(value)
        case .precedence: headers.precedence = MailBytes.string(value)
        case .gmailLabels: headers.gmailLabels = labels(value)
        }
    }

    /// `<>` (spaces allowed inside), the null reverse-path.
    static func isNullPath(_ value: MailByteBuffer) -> Bool {
        let text = MailBytes.string(value, 0..<value.count)
        guard let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") else { return false }
        return text[text.index(after: open)..<close].allSatisfy(\.isWhitespace)
    }

    private static func add(_ addresses: [MailboxAddress], to list: inout [MailboxAddress]) {
        if list.isEmpty { list = addresses } else { list += addresses }
    }

    /// RFC 2047 decoded, then trimmed of spaces.
    private static func decodedText(_ value: MailByteBuffer) -> String {
        guard MailHeaderText.mayHoldEncodedWords(value) else { return MailBytes.string(value) }
        var decoded: [UInt8] = []
        MailHeaderText.appendDecodingEncodedWords(value, to: &decoded)
        return decoded.withUnsafeBufferPointer { MailBytes.string($0, MailBytes.trimmedSpaces($0, 0..<$0.count)) }
    }

    /// The field `section[name]` names, in any case, when it is one `parse` reads. A switch on the length and
    /// literals, as this runs for every header line.
    private static func readField(_ section: MailByteBuffer, _ name: Range<Int>) -> Field? {
        func named(_ literal: StaticString) -> Bool { MailBytes.equalsIgnoringCase(section, name, literal) }
        switch name.count {
        case 2: return named("to") ? .to : named("cc") ? .cc : nil
        case 3: return named("bcc") ? .bcc : nil
        case 4: return named("from") ? .from : named("date") ? .date : nil
        case 6: return named("sender") ? .sender : nil
        case 7: return named("subject") ? .subject : named("list-id") ? .listID : nil
        case 8: return named("reply-to") ? .replyTo : nil
        case 10:
            return named("message-id")
                ? .messageID : named("references") ? .references : named("precedence") ? .precedence : nil
        case 11: return named("in-reply-to") ? .inReplyTo : nil
        case 14: return named("x-gmail-labels") ? .gmailLabels : nil
        case 16: return named("list-unsubscribe") ? .listUnsubscribe : nil
        default: return nil
        }
    }

    // MARK: - Values

    /// `<a@b> <c@d>` → ["a@b", "c@d"]; text without angle brackets is split on whitespace and commas.
    static func messageIDs(_ value: String) -> [String] {
        var value = value
        return value.withUTF8 { messageIDs($0) }
    }

    /// At most `limit` ids (Message-ID and In-Reply-To keep only their first).
    static func messageIDs(_ value: MailByteBuffer, limit: Int = .max) -> [String] {
        var ids: [String] = []
        // On UTF-8 bytes: the brackets are ASCII, so slicing there never splits a character.
        var rest = 0..<value.count
        while ids.count < limit, let open = MailBytes.firstIndex(of: 0x3C, in: value, rest) {
            guard let close = MailBytes.firstIndex(of: 0x3E, in: value, open..<value.count) else { break }
            let id = MailBytes.trimmedSpaces(value, (open + 1)..<close)
            if !id.isEmpty { ids.append(MailBytes.string(value, id)) }
            rest = (close + 1)..<value.count
        }
        guard ids.isEmpty else { return ids }
        guard MailBytes.isSingleByteText(value) else {
            // Split on `Character`s, as written: a space followed by a combining mark is no space.
            return MailBytes.string(value).split { $0 == " " || $0 == "\t" || $0 == "," }.prefix(limit).map(String.init)
        }
        var start = 0
        for index in 0...value.count
        where index == value.count || value[index] == 0x20 || value[index] == 0x09 || value[index] == 0x2C {
            if index > start { ids.append(MailBytes.string(value, start..<index)) }
            if ids.count == limit { break }
            start = index + 1
        }
        return ids
    }

    /// X-Gmail-Labels: `Inbox,Important,"Work, 2024",Opened` (commas inside quotes belong to the label).
    static func labels(_ value: String) -> [String] {
        var value = value
        return value.withUTF8 { labels($0) }
    }

    static func labels(_ value: MailByteBuffer) -> [String] {
        guard MailBytes.isSingleByteText(value) else { return labelsByCharacter(MailBytes.string(value)) }
        // Each byte is a `Character` here (see `MailBytes.isSingleByteText`).
        var labels: [String] = []
        var current: [UInt8] = []
        var quoted = false
        func flush() {
            let label = decodedText(current)
            if !label.isEmpty { labels.append(label) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in value {
            switch byte {
            case 0x22: quoted.toggle()
            case 0x2C where !quoted: flush()
            default: current.append(byte)
            }
        }
        flush()
        return labels
    }

    private static func decodedText(_ value: [UInt8]) -> String {
        value.withUnsafeBufferPointer { value in
            guard MailHeaderText.mayHoldEncodedWords(value) else {
                return MailBytes.string(value, MailBytes.trimmedSpaces(value, 0..<value.count))
            }
            return decodedText(value)
        }
    }

    private static func labelsByCharacter(_ value: String) -> [String] {
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
