/// Turns identifiers as people and exports write them into one comparable spelling each, so the same
/// address, number or profile found in two sources meets in identity resolution.
///
/// Every normalizer answers `nil` for input that is not an identifier of its kind, so callers keep the
/// raw text as a plain fact but never merge on it. Normalization is conservative: it only folds
/// spellings that certainly mean the same identifier (case of an email address, separators in a phone
/// number, `twitter.com` and `x.com`), never provider-specific aliases that could merge two people.
public enum IdentityNormalizer {}
