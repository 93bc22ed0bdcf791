/// A phone number reduced to calling code and national significant number, whatever way it was written.
struct PhoneNumber: Sendable, Hashable {
    let callingCode: Int
    let nationalNumber: [UInt8]

    /// "+" followed by the digits: the form Loam stores and compares.
    var e164: String {
        "+" + String(callingCode) + String(decoding: nationalNumber.map { $0 + 48 }, as: UTF8.self)
    }

    /// Reads `dialled` as someone in `defaultRegion` would dial it.
    ///
    /// The order follows libphonenumber: "+" is always international; then the region's own
    /// international prefixes ("011" in NANP, "0011" in Australia, "8 10" in Russia); then the digits as a
    /// national number; then as the region's calling code without its "+" ("20 2 3456 7890" in Egypt),
    /// when that is the only reading the length allows. "00", the international prefix of most of the
    /// world, is tried last in regions that use another one, because people who moved from Europe keep
    /// writing "0049 …" in the US.
    static func resolve(_ dialled: PhoneDialString, defaultRegion: String) -> PhoneNumber? {
        let digits = dialled.digits[...]
        if dialled.hasPlus { return international(digits) }
        if let home = PhoneRegion.byCode[defaultRegion.uppercased()] {
            for prefix in home.internationalPrefixes where prefix.isPrefix(of: digits) {
                if let number = international(digits.dropFirst(prefix.count)) { return number }
            }
            if let number = national(digits, in: home) { return number }
            let code = Array(String(home.callingCode).utf8.map { $0 - 48 })
            if digits.starts(with: code), let number = national(digits.dropFirst(code.count), in: home) {
                return number
            }
        }
        if digits.starts(with: [0, 0]) { return international(digits.dropFirst(2)) }
        return nil
    }

    private static func national(_ digits: ArraySlice<UInt8>, in home: PhoneRegion) -> PhoneNumber? {
        for region in home.withSharedCallingCode {
            if let national = region.nationalNumber(from: digits) {
                return PhoneNumber(callingCode: region.callingCode, nationalNumber: national)
            }
        }
        return nil
    }

    /// Reads `digits` as calling code + national number, the part after "+" or an international prefix.
    static func international(_ digits: ArraySlice<UInt8>) -> PhoneNumber? {
        // Calling codes are prefix-free (ITU-T E.164), so the first one found is the only candidate.
        for length in 1...3 where digits.count > length {
            let code = digits.prefix(length).reduce(0) { $0 * 10 + Int($1) }
            guard let regions = PhoneRegion.byCallingCode[code] else { continue }
            let rest = digits.dropFirst(length)
            for region in regions {
                if let national = region.nationalNumber(from: rest) {
                    return PhoneNumber(callingCode: code, nationalNumber: national)
                }
            }
            return nil
        }
        return nil
    }
}
