/// Byte-level helpers for the reader's hot path. A profile of reading an Apple Contacts export found retain/release
/// and malloc dominating: every line built several Strings and Arrays. vCard's syntax (names, `;` `:` `,` `=` `"`,
/// escapes) is ASCII, so bytes that are ASCII where it matters are read as bytes; anything else still goes through
/// `String`, whose Unicode rules (grapheme clusters, canonical equivalence, case mappings such as `ı` → `I`) these
/// paths must not change. Every helper here is exact for the inputs it accepts.
enum VCardBytes {
    static func isASCII(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// `isASCII` for a slice, checked on its storage with one OR per byte (the compiler vectorises the loop):
    /// it runs on every value.
    static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var bits: UInt8 = 0
            for byte in buffer { bits |= byte }
            return bits < 0x80
        }
    }

    /// Space or tab: all that `trimmingSpaces()` removes from ASCII.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// `trimmingSpaces()` for bytes whose ends are ASCII (the caller checks; a non-ASCII end may be a Unicode space).
    static func trimmingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    static func uppercased(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte - 0x20 : byte }
    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }

    /// ASCII bytes as a String, each byte mapped: written straight into the string's storage (no array in between;
    /// up to 15 bytes the string is stored inline, with no allocation at all).
    static func string(_ bytes: ArraySlice<UInt8>, mapping map: (UInt8) -> UInt8 = { $0 }) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = map(byte)
                index += 1
            }
            return index
        }
    }

    /// Whether ASCII `bytes` equal `upperCaseWord` ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ upperCaseWord: StaticString) -> Bool {
        guard bytes.count == upperCaseWord.utf8CodeUnitCount else { return false }
        return upperCaseWord.withUTF8Buffer { word in
            zip(bytes, word).allSatisfy { uppercased($0) == $1 }
        }
    }

    /// Whether `utf8` starts with `lowerCaseWord` in any ASCII case, as a whole number of Characters: the byte
    /// after it must not be able to join the word's last Character (a combining mark would), so it is ASCII or
    /// absent. `.undecided` when the bytes match but the next one is not ASCII: only `String` can tell then.
    static func hasPrefixIgnoringCase(_ utf8: String.UTF8View, _ lowerCaseWord: StaticString) -> PrefixMatch {
        let count = lowerCaseWord.utf8CodeUnitCount
        let matches = lowerCaseWord.withUTF8Buffer { word in
            utf8.count >= count && zip(utf8, word).allSatisfy { lowercased($0) == $1 }
        }
        guard matches else { return .no }
        let next = utf8.dropFirst(count).first
        return next.map { $0 < 0x80 } ?? true ? .yes : .undecided
    }

    enum PrefixMatch { case yes, no, undecided }

    /// Whether `\` escapes and `separator`s in `utf8` can be found on bytes with the result `Character` iteration
    /// gives: each such byte, and the byte an escape applies to, must be a Character of its own, so its neighbours
    /// are ASCII (no combining mark after it, no prepended mark before it; CR LF, the one ASCII pair that is one
    /// Character, reads the same either way); and U+037E GREEK QUESTION MARK, which `Character` comparison
    /// takes for a `;`, must not occur.
    static func escapesReadableOnBytes(_ utf8: some Sequence<UInt8>, separator: UInt8?) -> Bool {
        var previous: UInt8 = 0
        var pendingASCII = 0  // how many of the next bytes must be ASCII
        for byte in utf8 {
            if pendingASCII > 0 {
                if byte >= 0x80 { return false }
                pendingASCII -= 1
            }
            if byte == 0x5C || byte == separator {
                if previous >= 0x80 { return false }
                pendingASCII = max(pendingASCII, byte == 0x5C ? 2 : 1)
            }
            if previous == 0xCD, byte == 0xBE { return false }
            previous = byte
        }
        return true
    }

    /// Whether `bytes` hold `upperCaseWord` in any ASCII case: a check on every line, so no string is built.
    static func containsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ upperCaseWord: StaticString) -> Bool {
        upperCaseWord.withUTF8Buffer { needle in
            guard let head = needle.first, bytes.count >= needle.count else { return false }
            var start = bytes.startIndex
            while start + needle.count <= bytes.endIndex {
                if uppercased(bytes[start]) == head, zip(bytes[start...], needle).allSatisfy({ uppercased($0) == $1 }) {
                    return true
                }
                start += 1
            }
            return false
        }
    }

    /// Whether `utf8` holds `byte`, on the string's contiguous storage when it has some (the generic
    /// `contains` walked a String's UTF-8 view index by index).
    static func contains(_ utf8: some Sequence<UInt8>, _ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }
}
