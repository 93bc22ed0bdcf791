extension IdentityNormalizer {
    /// A phone number in E.164 ("+4915123456789"), reading numbers written without a calling code as
    /// dialled in `defaultRegion` (ISO 3166 alpha-2, any case); `nil` when the text cannot be a phone
    /// number there. Separators, extensions and `tel:` are dropped; letters are refused.
    ///
    /// Validity is a length and first-digit check per region (see ``PhoneRegion``), not libphonenumber's
    /// full patterns: a number that passes could exist, which is what merging people needs, since both
    /// sides of a merge went through the same check.
    public static func phone(_ raw: String, defaultRegion: String) -> String? {
        guard let dialled = PhoneDialString(raw) else { return nil }
        return PhoneNumber.resolve(dialled, defaultRegion: defaultRegion)?.e164
    }
}
