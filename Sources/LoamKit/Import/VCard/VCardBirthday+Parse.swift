import Foundation

extension VCardBirthday {
    /// Every spelling seen in exports: `--0415`, `--04-15`, `19850415`, `1985-04-15`, `1985-04-15T00:00:00Z`,
    /// and Apple's year 1604 (with or without `X-APPLE-OMIT-YEAR`) or a year 0000 for "no year". Nil for
    /// anything else (`VALUE=text` like "circa 1800", a year alone, a month without a day, an impossible date).
    init?(vCardValue raw: String, omitYear: Int? = nil) {
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
                guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return nil }
            }
            year = Int(digits.prefix(4))
            monthDay = Substring(digits.dropFirst(4))
        }
        let md = monthDay.filter { $0 != "-" }
        guard md.count == 4, md.allSatisfy({ $0.isASCII && $0.isNumber }), monthDay.count == 4 || monthDay.count == 5,
            let month = Int(md.prefix(2)), let day = Int(md.suffix(2))
        else { return nil }
        let daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...daysIn[month - 1]).contains(day) else { return nil }
        var kept = year
        if let y = year, y == 0 || y == 1604 || y == omitYear { kept = nil }
        if let y = kept, month == 2, day == 29, !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { return nil }
        self.init(year: kept, month: month, day: day)
    }
}
