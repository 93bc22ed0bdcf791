import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's copy through NSString
    /// when there is nothing to trim: identifiers arrive trimmed almost always, and that copy was the
    /// largest cost of normalizing a million of them (`loam-bench resolve`).
    var trimmedWhitespace: String {
        guard let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last)
        else { return trimmingCharacters(in: .whitespacesAndNewlines) }
        return self
    }
}
