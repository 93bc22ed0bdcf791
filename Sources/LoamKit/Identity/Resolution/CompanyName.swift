/// A company name as a key for comparison: "Acme, Inc.", "ACME Inc" and "Acme" are one company.
public enum CompanyName {
    /// The company's folded tokens without trailing legal-form suffixes, joined by one space
    /// (`"Müller GmbH"` → `"muller"`); `nil` when no name is left, so an empty or suffix-only company
    /// ("Inc.") never makes two people look like colleagues.
    public static func key(_ raw: String) -> String? {
        var tokens = NameTokens.tokens(raw[...])
        // Only trailing suffixes go: "Co" or "SA" inside a name ("Co Op Bank", "SA Power") are part of it.
        // Several may stack up ("Acme Holdings Co., Ltd.").
        while tokens.count > 1, let last = tokens.last, legalSuffixes.contains(last) {
            tokens.removeLast()
        }
        if tokens.count == 1, legalSuffixes.contains(tokens[0]) { return nil }
        return tokens.isEmpty ? nil : tokens.joined(separator: " ")
    }

    /// Legal forms compared after folding and dot removal ("S.A." is "sa", "Inc." is "inc").
    private static let legalSuffixes: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "bv", "plc", "corp",
        "corporation", "co",
    ]
}
