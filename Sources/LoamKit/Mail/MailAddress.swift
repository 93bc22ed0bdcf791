/// A mailbox: an address and an optional display name.
public struct MailAddress: Sendable, Hashable, Codable {
    public var name: String?
    public var address: String

    /// Refuses anything that could break out of a header: line breaks, angle brackets, spaces,
    /// more or less than one `@`, or an empty local part or domain.
    public init(_ address: String, name: String? = nil) throws(MailAddressError) {
        let trimmed = address.trimmingWhitespace()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, trimmed.utf8.count <= 254,
            !trimmed.unicodeScalars.contains(where: {
                $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0 == "\"" || $0.value == 0x7F
            }),
            parts[1].contains(".") || parts[1] == "localhost"
        else {
            throw .invalid
        }
        self.address = trimmed
        self.name = name.map { $0.strippingLineBreaks().trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses `Name <address>` or a bare address (as in `LOAM_MAIL_FROM`).
    public static func parse(_ text: String) throws(MailAddressError) -> MailAddress {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = String(trimmed[..<open]).trimmingWhitespace()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            return try MailAddress(address, name: name.isEmpty ? nil : name)
        }
        return try MailAddress(trimmed)
    }

    /// The domain part, lower-cased.
    public var domain: String {
        String(address.split(separator: "@").last ?? "").lowercased()
    }
}

public enum MailAddressError: Error, Equatable, Sendable {
    case invalid
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func strippingLineBreaks() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }
}
