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
