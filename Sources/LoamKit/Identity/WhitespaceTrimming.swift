import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` without Foundation's copy through NSString: identifiers
    /// arrive trimmed almost always, and that copy was the largest cost of normalizing a million of them
    /// (`loam-bench resolve`). The import readers' trimming (`ImportTrimming`) does the work.
    var trimmedWhitespace: String { trimmingSpacesAndNewlines() }
}
