import Foundation

/// Trimming without Foundation: `trimmingCharacters(in:)` bridges every string through NSString, and a profile of
/// the mbox reader found it taking half the time of reading a mailbox. These keep Foundation's definitions:
/// `.whitespaces` is Unicode's space separators (Zs) and tab; `.whitespacesAndNewlines` adds the line and paragraph
/// separators, LF through CR, and NEL. Both also trim U+200B ZERO WIDTH SPACE, as Foundation on Linux does (its
/// tables date from when that was a space separator), and which is junk at the edge of a name anyway. A string with
/// nothing to trim comes back as it is, with no copy.
extension String {
    /// `trimmingCharacters(in: .whitespaces)`.
    func trimmingSpaces() -> String { ImportTrimming.trimmed(self, where: ImportTrimming.isSpace) }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
    public func trimmingSpacesAndNewlines() -> String {
        ImportTrimming.trimmed(self, where: ImportTrimming.isSpaceOrNewline)
    }
}

extension Substring {
    /// `trimmingCharacters(in: .whitespaces)`.
    func trimmingSpaces() -> String { ImportTrimming.trimmed(String(self), where: ImportTrimming.isSpace) }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`.
    func trimmingSpacesAndNewlines() -> String {
        ImportTrimming.trimmed(String(self), where: ImportTrimming.isSpaceOrNewline)
    }
}

enum ImportTrimming {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || scalar.value == 0x09 }
        return scalar.value == 0x200B || scalar.properties.generalCategory == .spaceSeparator
    }

    static func isSpaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        if scalar.value == 0x85 || scalar.value == 0x200B { return true }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    static func trimmed(_ text: String, where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isTrimmed(first) || isTrimmed(last) else {
            return text
        }
        guard let start = scalars.firstIndex(where: { !isTrimmed($0) }),
            let end = scalars.lastIndex(where: { !isTrimmed($0) })
        else {
            return ""
        }
        return String(scalars[start...end])
    }
}
