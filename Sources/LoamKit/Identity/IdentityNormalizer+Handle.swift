import Foundation

extension IdentityNormalizer {
    /// A handle on a service as `"service:handle"`: trimmed, one leading `@` removed, Unicode NFC and
    /// lower-cased, because the services people list handles for (X, GitHub, Instagram, Telegram,
    /// Mastodon, …) match them case-insensitively. `nil` when the handle or service is empty or holds
    /// whitespace. `"twitter"` is stored as `"x"`, as ``profileURL(_:)`` does with the host, so both
    /// spellings of the same account meet.
    public static func handle(_ raw: String, service: String) -> String? {
        guard let service = serviceName(service) else { return nil }
        var handle = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if handle.hasPrefix("@") { handle.removeFirst() }
        handle = handle.precomposedStringWithCanonicalMapping.lowercased()
        guard isToken(handle) else { return nil }
        return "\(service):\(handle)"
    }

    /// The service part of a handle identity; a colon is refused so `service:handle` splits one way.
    static func serviceName(_ raw: String) -> String? {
        let service = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard isToken(service), !service.contains(":") else { return nil }
        return serviceAliases[service] ?? service
    }

    private static let serviceAliases: [String: String] = ["twitter": "x"]

    /// Non-empty, without whitespace or control characters.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }
}
