import Foundation

extension VCardBirthday {
    /// Every spelling seen in exports: `--0415`, `--04-15`, `19850415`, `1985-04-15`, `1985-04-15T00:00:00Z`,
    /// and Apple's year 1604 (with or without `X-APPLE-OMIT-YEAR`) or a year 0000 for "no year". Nil for
    /// anything else (`VALUE=text` like "circa 1800", a year alone, a month without a day, an impossible date).
    init?(vCardValue raw: String, omitYear: Int? = nil) {
        // ASCII without CR is one Character per byte (CR LF would be one Character), so read on bytes: this runs
        // for every card with a birthday, and the Character walk below was most of a card's date handling.
        if let fields = raw.utf8.withContiguousStorageIfAvailable({ bytes in
            bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? Self.asciiFields(bytes) : .notASCII
        }), fields != .notASCII {
            guard case .date(let year, let month, let day) = fields else { return nil }
            self.init(year: year, month: month, day: day, omitYear: omitYear)
            return
        }
        var text = Substring(raw.trimmingSpaces())
        if let time = text.firstIndex(where: { $0 == "T" || $0 == "t" }) { text = text[..<time] }
        let year: Int?
        let monthDay: Substring
        if text.hasPrefix("--") {
            year = nil
            monthDay = text.dropFirst(2)
        } else {
            let digits = text.prefix(while: \.isASCII).filter(\.isNumber)
            guard digits.count == 8, text.count == 8 || text.count == 10 else { return nil }
            if text.count == 10 {
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else {
                    return nil
                }
            }
            year = Int(digits.prefix(4))
            monthDay = Substring(digits.dropFirst(4))
        }
        let md = monthDay.filter { $0 != "-" }
        guard md.count == 4, md.allSatisfy({ $0.isASCII && $0.isNumber }), monthDay.count == 4 || monthDay.count == 5,
            let month = Int(md.prefix(2)), let day = Int(md.suffix(2))
        else { return nil }
        self.init(year: year, month: month, day: day, omitYear: omitYear)
    }

    /// The checks shared by both ways of reading the text: a real day, no year for 0000, 1604 or `omitYear`.
    private init?(year: Int?, month: Int, day: Int, omitYear: Int?) {
        let daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...daysIn[month - 1]).contains(day) else { return nil }
        var kept = year
        if let y = year, y == 0 || y == 1604 || y == omitYear { kept = nil }
        if let y = kept, month == 2, day == 29, !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { return nil }
        self.init(year: kept, month: month, day: day)
    }

    private enum Fields: Equatable {
        case date(year: Int?, month: Int, day: Int)
        case invalid
        case notASCII
    }

    /// The Character algorithm of `init?(vCardValue:omitYear:)` on ASCII bytes with no CR, step for step.
    private static func asciiFields(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields {
        var start = 0
        var end = bytes.count
        while start < end, VCardBytes.isSpace(bytes[start]) { start += 1 }
        while end > start, VCardBytes.isSpace(bytes[end - 1]) { end -= 1 }
        if let time = (start..<end).first(where: { bytes[$0] == 0x54 || bytes[$0] == 0x74 }) { end = time }
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        let value = { (index: Int) in Int(bytes[index] - 0x30) }
        let year: Int?
        var monthDay: [Int] = []
        let count = end - start
        if count >= 2, bytes[start] == 0x2D, bytes[start + 1] == 0x2D {
            year = nil
            guard count - 2 == 4 || count - 2 == 5 else { return .invalid }
            for index in (start + 2)..<end where bytes[index] != 0x2D {
                guard isDigit(bytes[index]) else { return .invalid }
                monthDay.append(value(index))
            }
            guard monthDay.count == 4 else { return .invalid }
        } else {
            let digits = (start..<end).filter { isDigit(bytes[$0]) }
            guard digits.count == 8, count == 8 || count == 10 else { return .invalid }
            // Ten characters with eight digits: `split(separator: "-")` into 4, 2 and 2 digits.
            if count == 10, bytes[start + 4] != 0x2D || bytes[start + 7] != 0x2D { return .invalid }
            year = digits.prefix(4).reduce(0) { $0 * 10 + value($1) }
            monthDay = digits.dropFirst(4).map(value)
        }
        return .date(year: year, month: monthDay[0] * 10 + monthDay[1], day: monthDay[2] * 10 + monthDay[3])
    }
}
