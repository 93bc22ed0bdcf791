/// A fixed-length run of digit classes such as `"0[0-3][0-9]"`: the small part of regular expressions
/// the phone tables need for international and trunk prefixes, first digits and area codes. Matching
/// is a loop over bit masks, so resolving a number compiles no regular expression.
struct DigitPattern: Sendable, Hashable {
    /// One mask per position, with bit `d` set when digit `d` may stand there.
    let positions: [UInt16]

    /// Parses digits and bracketed classes with ranges; anything else is a bug in a table, so it traps.
    init(_ text: String) {
        var positions: [UInt16] = []
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if let digit = Self.digit(scalar) {
                positions.append(1 << digit)
                continue
            }
            precondition(scalar == "[", "bad digit pattern \(text)")
            var mask: UInt16 = 0
            var previous: Int?
            var inRange = false
            while let member = scalars.next(), member != "]" {
                if member == "-", previous != nil {
                    inRange = true
                    continue
                }
                guard let digit = Self.digit(member) else { preconditionFailure("bad digit pattern \(text)") }
                if inRange, let low = previous {
                    for value in low...digit { mask |= 1 << value }
                    inRange = false
                } else {
                    mask |= 1 << digit
                }
                previous = digit
            }
            precondition(mask != 0, "empty digit class in \(text)")
            positions.append(mask)
        }
        self.positions = positions
    }

    var count: Int { positions.count }

    /// Whether `digits` (values 0–9) starts with a run this pattern matches.
    func isPrefix(of digits: ArraySlice<UInt8>) -> Bool {
        digits.count >= positions.count
            && zip(positions, digits).allSatisfy { mask, digit in mask & (1 << UInt16(digit)) != 0 }
    }

    private static func digit(_ scalar: Unicode.Scalar) -> Int? {
        ("0"..."9").contains(scalar) ? Int(scalar.value - 48) : nil
    }
}
