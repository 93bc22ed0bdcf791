import Foundation

extension UUID {
    /// The canonical lowercase form, "6ba7b810-9dad-11d1-80b4-00c04fd430c8": what sealed fields bind as their row.
    ///
    /// Written by hand because Foundation's `uuidString` formats through `snprintf` on Linux and is upper case, so
    /// `uuidString.lowercased()` made two strings per sealed field; an import seals a few fields per interaction.
    public var lowercaseString: String { hexString(digits: "0123456789abcdef") }

    /// Exactly `uuidString` ("6BA7B810-9DAD-…"), without `snprintf`: the text SQLite stores for a `UUID` column,
    /// which an import binds several times per row.
    public var uppercaseString: String { hexString(digits: "0123456789ABCDEF") }

    private func hexString(digits: StaticString) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var at = 0
                    for (index, byte) in bytes.enumerated() {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            out[at] = UInt8(ascii: "-")
                            at += 1
                        }
                        out[at] = hex[Int(byte >> 4)]
                        out[at + 1] = hex[Int(byte & 0x0F)]
                        at += 2
                    }
                    return at
                }
            }
        }
    }
}

extension UUID {
    /// Parses the canonical 36-character form in either case without `UUID(uuidString:)`'s `sscanf`: SQLite hands
    /// identifiers back as this text, and an import reads one back for every row it inserts. Stricter than
    /// Foundation on Linux, whose `sscanf` also takes leading spaces and a short first group.
    public init?(canonicalText text: String) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool? in
            text.utf8.withContiguousStorageIfAvailable { chars -> Bool in
                guard chars.count == 36 else { return false }
                var at = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        guard chars[at] == UInt8(ascii: "-") else { return false }
                        at += 1
                    }
                    guard let high = Hex.value(ofDigit: chars[at]), let low = Hex.value(ofDigit: chars[at + 1]) else {
                        return false
                    }
                    out[index] = high << 4 | low
                    at += 2
                }
                return true
            }
        }
        switch parsed {
        case true?: break
        case false?: return nil
        case nil:
            // A string without contiguous UTF-8 (bridged from elsewhere) gets Foundation's answer.
            guard let fallback = UUID(uuidString: text) else { return nil }
            self = fallback
            return
        }
        self.init(uuid: bytes)
    }
}
