import Foundation

extension ICalendarEventBuilder {
    /// Hosts whose addresses are calendars or things, never people: rooms and resources, shared and
    /// subscribed calendars (Google writes them as ORGANIZER), holiday calendars.
    private static let calendarDomains = [
        "resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com",
        "import.calendar.google.com",
    ]

    /// ORGANIZER or ATTENDEE: the address from `mailto:` in any case, a bare address, or the EMAIL parameter
    /// (iCloud writes a principal URL as the value); nil for a room, a resource, a calendar or no address.
    static func participant(_ property: ICalProperty) -> ICalendarParticipant? {
        if let kind = property.parameter("CUTYPE"),
            ICalASCII.uppercased(kind, equals: "ROOM") || ICalASCII.uppercased(kind, equals: "RESOURCE")
        {
            return nil
        }
        // The value is trimmed and loses a `mailto:` before `address` does both again.
        var email =
            Self.plainAddress(property.value, mailtoPrefixes: 2)
            ?? {
                var value = property.value.trimmedWhitespace
                if value.lowercased().hasPrefix("mailto:") { value = String(value.dropFirst(7)) }
                return Self.address(value)
            }()
        if email == nil, let parameter = property.parameter("EMAIL") {
            email = Self.plainAddress(parameter, mailtoPrefixes: 1) ?? Self.address(parameter)
        }
        guard let email else { return nil }
        if Self.isCalendar(email) { return nil }
        var name = property.parameter("CN").map { ICalProperty.decodeParameter($0).trimmedWhitespace }
        if let cn = name, cn.isEmpty || Self.namesAddress(cn, email) { name = nil }
        return ICalendarParticipant(email: email, name: name)
    }

    private static func isCalendar(_ email: String) -> Bool {
        let utf8 = email[...].utf8
        if utf8.allSatisfy({ $0 < 0x80 }), let at = utf8.lastIndex(of: 0x40) {
            let domain = utf8[utf8.index(after: at)...]
            return calendarDomains.contains { ICalASCII.equalIgnoringCase(domain, lower: $0) }
        }
        let domain = email.split(separator: "@").last.map { $0.lowercased() } ?? ""
        return calendarDomains.contains(domain)
    }

    /// A CN that is only the address: the same in any case, or with `mailto:` before it.
    private static func namesAddress(_ cn: String, _ email: String) -> Bool {
        let name = cn[...].utf8
        let address = email[...].utf8
        // No character but "@" itself compares equal to "@", in any case or normalization: a name without one
        // (nearly every name, and most are not ASCII) cannot be the address.
        if !name.contains(0x40) { return false }
        if let same = ICalASCII.equalIgnoringCase(name, address) {
            if same { return true }
            guard name.count == address.count + 7 else { return false }
            let prefix = name.prefix(7)
            return ICalASCII.equalIgnoringCase(prefix, "mailto:"[...].utf8) == true
                && ICalASCII.equalIgnoringCase(name.dropFirst(7), address) == true
        }
        return cn.caseInsensitiveCompare(email) == .orderedSame || cn.lowercased() == "mailto:" + email.lowercased()
    }

    /// `address(_:)` on bytes, after `mailtoPrefixes` rounds of trimming and taking off `mailto:`, for text of tabs
    /// and printable ASCII only: `.some(nil)` when it holds no address, nil when the text is not plain ASCII.
    private static func plainAddress(_ text: String, mailtoPrefixes: Int) -> String?? {
        var text = text
        return text.withUTF8 { bytes -> String?? in
            guard ICalASCII.isPlain(bytes) else { return nil }
            var start = 0
            var end = bytes.count
            func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
            for _ in 0..<mailtoPrefixes {
                while start < end, isBlank(bytes[start]) { start += 1 }
                while end > start, isBlank(bytes[end - 1]) { end -= 1 }
                if end - start >= 7,
                    zip(bytes[start..<(start + 7)], "mailto:".utf8).allSatisfy({ ICalASCII.lowercased($0) == $1 })
                {
                    start += 7
                }
            }
            if end > start, bytes[start] == 0x3C, bytes[end - 1] == 0x3E {
                start += 1
                end -= 1
            }
            var at: Int?
            var dotAfterAt = false
            for index in start..<max(start, end) {
                switch bytes[index] {
                case 0x40:
                    guard at == nil else { return .some(nil) }
                    at = index
                case 0x2E: if at != nil { dotAfterAt = true }
                case 0x20, 0x3A, 0x2F, 0x2C, 0x3B: return .some(nil)
                default: break
                }
            }
            guard let at, at > start, dotAfterAt, end - start <= 320 else { return .some(nil) }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
    }

    /// "dana@example.org", "<dana@example.org>": one address with a local part and a domain, nothing else.
    private static func address(_ text: String) -> String? {
        var text = text.trimmedWhitespace
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.count <= 320,
            !text.contains(where: { $0 == " " || $0 == ":" || $0 == "/" || $0 == "," || $0 == ";" })
        else { return nil }
        return text
    }
}
