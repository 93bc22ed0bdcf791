/// What Loam knows about numbering in one region (ISO 3166 alpha-2, or "001" for non-geographic
/// calling codes): enough to find a number's national significant number and tell whether it could
/// exist there, without libphonenumber's full per-type patterns. The data is in
/// `PhoneRegion+Table.swift`.
struct PhoneRegion: Sendable {
    let code: String
    let callingCode: Int
    /// Dialled before a national number inside the region ("0" in most of Europe, "1" in NANP, "8" in
    /// Russia) and sometimes written after the calling code as "+44 (0)20 …"; longest first.
    let trunkPrefixes: [DigitPattern]
    /// Dialled before a calling code from inside the region ("00", "011", "0011", "8 10"); longest first.
    let internationalPrefixes: [DigitPattern]
    /// Per first digit of a national significant number, bit `n` set when it can have `n` digits.
    let lengthMasks: [UInt32]

    /// `lengths` reads `"[2-9]=10;1=7,9-11"`: a ``DigitPattern`` of one digit class, "=", lengths and
    /// ranges of lengths; groups joined by ";". A first digit in no group starts no number.
    init(_ code: String, _ callingCode: Int, trunk: [String], idd: [String], lengths: String) {
        self.code = code
        self.callingCode = callingCode
        self.trunkPrefixes = trunk.map(DigitPattern.init).sorted { $0.count > $1.count }
        self.internationalPrefixes = idd.map(DigitPattern.init).sorted { $0.count > $1.count }
        var masks = [UInt32](repeating: 0, count: 10)
        for group in lengths.split(separator: ";") {
            let sides = group.split(separator: "=")
            precondition(sides.count == 2, "bad length group \(group) for \(code)")
            var mask: UInt32 = 0
            for item in sides[1].split(separator: ",") {
                let bounds = item.split(separator: "-").compactMap { Int($0) }
                precondition((1...2).contains(bounds.count), "bad length \(item) for \(code)")
                for length in bounds[0]...bounds[bounds.count - 1] { mask |= 1 << UInt32(length) }
            }
            let first = DigitPattern(String(sides[0]))
            for digit in 0..<10 where first.isPrefix(of: [UInt8(digit)]) { masks[digit] |= mask }
        }
        self.lengthMasks = masks
    }

    /// Geographic regions by upper-case code.
    static let byCode: [String: PhoneRegion] = Dictionary(
        table.filter { $0.code != "001" }.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// The regions sharing each calling code, the main one (whose rules apply to "+CC …") first.
    static let byCallingCode: [Int: [PhoneRegion]] = Dictionary(grouping: table, by: \.callingCode)

    /// The national significant number `digits` stand for when dialled in this region or written after
    /// its calling code, or `nil` when no reading is a possible number here.
    ///
    /// Like libphonenumber, a trunk prefix is removed when what follows is a possible number, and kept
    /// otherwise: Russia's "8 800 …" loses its "8", while "800 …" keeps it. After a calling code the
    /// same holds, since people write "+44 (0)20 …".
    func nationalNumber(from digits: ArraySlice<UInt8>) -> [UInt8]? {
        for prefix in trunkPrefixes where prefix.isPrefix(of: digits) {
            if let number = possibleNumber(digits.dropFirst(prefix.count), afterTrunkPrefix: true) { return number }
        }
        return possibleNumber(digits, afterTrunkPrefix: false)
    }

    /// The regions sharing this one's calling code, this one first: a number dialled in Guam may be any
    /// NANP number, one dialled on Christmas Island any Australian one.
    var withSharedCallingCode: [PhoneRegion] {
        [self] + (Self.byCallingCode[callingCode] ?? []).filter { $0.code != code }
    }

    private func possibleNumber(_ digits: ArraySlice<UInt8>, afterTrunkPrefix: Bool) -> [UInt8]? {
        if let rewritten = localRewrite(digits, afterTrunkPrefix: afterTrunkPrefix), isPossible(rewritten[...]) {
            return rewritten
        }
        return isPossible(digits) ? Array(digits) : nil
    }

    /// A length check per first digit: weaker than libphonenumber's validity (which matches every number
    /// type's pattern), strong enough to refuse what is too short or too long for numbers starting that
    /// way, or starts where no number does.
    func isPossible(_ number: ArraySlice<UInt8>) -> Bool {
        guard let first = number.first, number.count < 32 else { return false }
        return lengthMasks[Int(first)] & (1 << UInt32(number.count)) != 0 && passesLocalChecks(number)
    }
}
