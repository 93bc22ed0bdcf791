/// Rules for the few regions whose numbers are written in a way a prefix table cannot describe.
extension PhoneRegion {
    /// Rewrites digits written in a regional habit into the national significant number, or `nil` when
    /// no habit applies.
    func localRewrite(_ digits: ArraySlice<UInt8>, afterTrunkPrefix: Bool) -> [UInt8]? {
        switch code {
        case "AR":
            // Argentine mobiles are dialled at home as area code + "15" + subscriber ("011 15-2345-6789")
            // and abroad as "9" + area code + subscriber (+54 9 11 2345-6789). Area code and subscriber
            // always make 10 digits, and the area code list tells where the "15" sits.
            guard digits.count == 12 else { return nil }
            for area in Self.argentineAreaCodes where area.isPrefix(of: digits) {
                let rest = digits.dropFirst(area.count)
                if rest.starts(with: [1, 5]) { return [9] + digits.prefix(area.count) + rest.dropFirst(2) }
            }
            return nil
        case "BR":
            // Brazilian long-distance calls pick a carrier after the trunk prefix: "0 21 11 2345-6789".
            // The carrier code is only there when 10 or 11 digits follow it, as in libphonenumber.
            guard afterTrunkPrefix, digits.count == 12 || digits.count == 13,
                Self.brazilianCarrierCodes.contains(where: { $0.isPrefix(of: digits) })
            else { return nil }
            return Array(digits.dropFirst(2))
        case "MX":
            // Mexican mobiles carried a "1" after +52 until 2019 (+52 1 55 1234 5678); old address books
            // are full of them, and the number without it is the same line.
            guard digits.count == 11, digits.first == 1 else { return nil }
            return Array(digits.dropFirst())
        default:
            return nil
        }
    }

    /// Checks beyond length and first digit. NANP numbers are always area code + exchange + line, and
    /// neither area code nor exchange starts with 0 or 1; the 7-digit length some NANP regions list is
    /// a local number without its area code, which has no E.164 form.
    func passesLocalChecks(_ number: ArraySlice<UInt8>) -> Bool {
        guard callingCode == 1 else { return true }
        return number.count == 10 && number[number.startIndex] >= 2 && number[number.startIndex + 3] >= 2
    }
}
