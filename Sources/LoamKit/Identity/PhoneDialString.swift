/// The digits of a phone number as written, and whether it started with "+": separators, an extension
/// and a `tel:` URI's parameters removed. Letters make it `nil`: vanity numbers ("1-800-FLOWERS") and
/// text like "call 030 …" or "n/a" are not numbers Loam should merge people on.
struct PhoneDialString: Sendable {
    var hasPlus: Bool
    /// Digit values 0–9, from any script's decimal digits (full-width, Arabic-Indic, …).
    var digits: [UInt8]

    /// Longer input is not a phone number; the limit keeps the work per field small.
    static let maximumLength = 250

    init?(_ raw: String) {
        var scalars = Array(raw.unicodeScalars)
        guard scalars.count <= Self.maximumLength else { return nil }
        scalars = Array(scalars.drop(while: Self.isSeparator).reversed().drop(while: Self.isSeparator).reversed())
        if scalars.count >= 4, String(String.UnicodeScalarView(scalars[..<4])).lowercased() == "tel:" {
            // RFC 3966: parameters (";ext=", ";phone-context=", ";isub=") follow the number.
            scalars = Array(scalars[4...].prefix { $0 != ";" })
        }
        var hasPlus = false
        var digits: [UInt8] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let digit = Self.decimalValue(scalar) {
                digits.append(digit)
            } else if scalar == "+" || scalar == "\u{FF0B}" {
                guard digits.isEmpty, !hasPlus else { return nil }
                hasPlus = true
            } else if !Self.isSeparator(scalar) {
                // Anything else ends the number, and must be an extension.
                guard !digits.isEmpty, Self.isExtension(scalars[index...]) else { return nil }
                break
            }
            index += 1
        }
        guard !digits.isEmpty else { return nil }
        self.hasPlus = hasPlus
        self.digits = digits
    }

    static func decimalValue(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return UInt8(value)
    }

    /// Spaces of every width, hyphens and dashes, dots, brackets, slashes, the "~" of Russia's "8~10",
    /// and the invisible marks (bidi controls, zero-width spaces, soft hyphens) that copying a number
    /// from a web page or a right-to-left contact card brings along.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        switch scalar.value {
        case 0x2D, 0x2E, 0x28, 0x29, 0x5B, 0x5D, 0x2F, 0x7E: return true  // - . ( ) [ ] / ~
        case 0x2010...0x2015, 0x2212, 0x00AD, 0xFF0D, 0xFF0E, 0xFF08, 0xFF09, 0xFF0F: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Extension markers people write, most specific first: "ext. 12", "x12", ";ext=12", "#12",
    /// "доб. 12", "anexo 12", and "," or ";" (a dialler's pause before the extension).
    private static let extensionMarkers = [";ext=", "extension", "extn", "ext", "доб", "anexo", "x", "#", ",", ";"]

    /// Whether `rest` is an extension marker followed by the extension's digits and nothing else.
    private static func isExtension(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        let text = String(String.UnicodeScalarView(rest)).lowercased()
        guard let marker = extensionMarkers.first(where: text.hasPrefix) else { return false }
        var tail = text.unicodeScalars.dropFirst(marker.unicodeScalars.count)
        tail = tail.drop { $0 == "." || $0 == ":" || $0 == "=" || $0.properties.isWhitespace }
        guard let first = tail.first, decimalValue(first) != nil else { return false }
        return tail.allSatisfy { decimalValue($0) != nil || isSeparator($0) || $0 == "#" }
    }
}
