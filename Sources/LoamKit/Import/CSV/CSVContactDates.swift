import Foundation

/// The dates of contacts CSV files, read by hand: `DateFormatter` follows the machine's locale and is slow, while
/// these files have a few fixed spellings. The exports carry no time zone, so times are read as UTC.
enum CSVContactDates {
    /// LinkedIn's "Connected On": `05 Dec 2025` (current), `1/8/18, 6:14 PM` (older, month first), also
    /// `2025-12-05`. A date alone is UTC midnight. Nil for anything else.
    static func connectedOn(_ raw: String) -> Date? {
        if let current = currentConnectedOn(raw) { return current }
        let text = raw.trimmingCharacters(in: .whitespaces)
        let words = text.split(separator: " ")
        if words.count == 3, let day = Int(words[0]), let month = monthNumber(words[1]), let year = Int(words[2]),
            words[2].count == 4
        {
            return date(year: year, month: month, day: day)
        }
        let (datePart, timePart) = splitTime(text)
        guard let numbers = numericDate(datePart) else { return nil }
        var year = numbers.third
        var month = numbers.first
        var day = numbers.second
        if numbers.first >= 1000 {
            (year, month, day) = (numbers.first, numbers.second, numbers.third)
        } else if numbers.first > 12 {
            (month, day) = (numbers.second, numbers.first)
        }
        if year < 100 { year += 2000 }  // LinkedIn began in 2003
        guard var result = date(year: year, month: month, day: day) else { return nil }
        if let timePart {
            guard let seconds = secondsOfDay(timePart) else { return nil }
            result += TimeInterval(seconds)
        }
        return result
    }

    /// The current layout's `05 Dec 2025` read on bytes, as `connectedOn` would read it, when the text is exactly
    /// that (one or two digits, a space, a month name, a space, four digits; nothing around): Foundation's trimming
    /// and the splits cost more than the rest of a row. `.some(nil)` for such a text that is no real date; nil for
    /// any other text, which `connectedOn` reads the general way.
    private static func currentConnectedOn(_ raw: String) -> Date?? {
        var raw = raw
        return raw.withUTF8 { bytes -> Date?? in
            func digits(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    guard (0x30...0x39).contains(bytes[index]) else { return nil }
                    value = value * 10 + Int(bytes[index] - 0x30)
                }
                return value
            }
            guard let firstSpace = bytes.firstIndex(of: 0x20), (1...2).contains(firstSpace),
                let day = digits(0..<firstSpace),
                let lastSpace = bytes.lastIndex(of: 0x20), lastSpace == bytes.count - 5, lastSpace >= firstSpace + 4,
                let year = digits(lastSpace + 1..<bytes.count)
            else { return nil }
            let word = firstSpace + 1..<lastSpace
            // ASCII letters only, so that characters are bytes and lowercasing is one bit, as `monthNumber` sees them.
            guard bytes[word].allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
            else { return nil }
            let prefix = bytes[word.prefix(3)].map { $0 | 0x20 }
            guard let month = asciiMonths.firstIndex(of: prefix) else { return nil }
            return .some(date(year: year, month: month + 1, day: day))
        }
    }

    private static let asciiMonths = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map {
        Array($0.utf8)
    }

    /// Google's "Birthday": `1985-04-15`, or `--04-15` without a year, read on bytes (a row costs less than
    /// `VCardBirthday(vCardValue:)`, which is left the rarer spellings); a year 0000 or Apple's 1604 is none.
    static func birthday(_ text: String) -> VCardBirthday? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let yearless = bytes.count == 7 && bytes[0] == 0x2D && bytes[1] == 0x2D && bytes[4] == 0x2D
        let full = bytes.count == 10 && bytes[4] == 0x2D && bytes[7] == 0x2D
        guard yearless || full, let month = number(yearless ? 2..<4 : 5..<7),
            let day = number(yearless ? 5..<7 : 8..<10)
        else { return VCardBirthday(vCardValue: text) }
        guard let year = yearless ? 2000 : number(0..<4) else { return nil }
        return birthday(year: year == 0 || year == 1604 || yearless ? nil : year, month: month, day: day)
    }

    /// A birthday of a real date (a 29 February needs a leap year, or no year).
    private static func birthday(year: Int?, month: Int, day: Int) -> VCardBirthday? {
        guard date(year: year ?? 2000, month: month, day: day) != nil else { return nil }
        return VCardBirthday(year: year, month: month, day: day)
    }

    /// Outlook's "Birthday": `4/15/1985` (the US short date Outlook writes), `15.04.1985` (a day-first locale),
    /// `1985-04-15`; `0/0/00` and `1/0/00` are Outlook's "none". A two-digit year is 19xx from 30 on, else 20xx.
    static func outlookBirthday(_ raw: String) -> VCardBirthday? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("--") || (text.count >= 10 && text.dropFirst(4).first == "-") { return birthday(text) }
        let (datePart, _) = splitTime(text)
        guard let numbers = numericDate(datePart), numbers.third > 0 || numbers.first > 0 else { return nil }
        let dayFirst = datePart.contains(".") || numbers.first > 12
        let (month, day) = dayFirst ? (numbers.second, numbers.first) : (numbers.first, numbers.second)
        var year = numbers.third
        if year < 100 { year += year >= 30 ? 1900 : 2000 }
        return birthday(year: year, month: month, day: day)
    }

    /// `a/b/c`, `a.b.c` or `a-b-c` as three numbers.
    private static func numericDate(_ text: Substring) -> (first: Int, second: Int, third: Int)? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "." || $0 == "-" }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
            let first = Int(parts[0]), let second = Int(parts[1]), let third = Int(parts[2])
        else { return nil }
        return (first, second, third)
    }

    /// `1/8/18, 6:14 PM` → (`1/8/18`, `6:14 PM`); also a space or a `T` before the time.
    private static func splitTime(_ text: String) -> (Substring, Substring?) {
        if let comma = text.firstIndex(of: ",") {
            return (text[..<comma], text[text.index(after: comma)...])
        }
        if let space = text.firstIndex(where: { $0 == " " || $0 == "T" }) {
            return (text[..<space], text[text.index(after: space)...])
        }
        return (text[...], nil)
    }

    /// `6:14 PM`, `18:14`, `18:14:05` as seconds after midnight.
    private static func secondsOfDay(_ raw: Substring) -> Int? {
        var text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        var pm: Bool?
        if text.hasSuffix("AM") || text.hasSuffix("PM") {
            pm = text.hasSuffix("PM")
            text = String(text.dropLast(2)).trimmingCharacters(in: .whitespaces)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), let hour = parts[0], let minute = parts[1], (0..<60).contains(minute)
        else { return nil }
        let second = parts.count == 3 ? parts[2] : 0
        guard let second, (0..<60).contains(second) else { return nil }
        var hours = hour
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            hours = hour % 12 + (pm ? 12 : 0)
        }
        guard (0..<24).contains(hours) else { return nil }
        return hours * 3600 + minute * 60 + second
    }

    private static func monthNumber(_ word: Substring) -> Int? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let prefix = word.prefix(3).lowercased()
        guard word.count >= 3, let index = months.firstIndex(of: prefix) else { return nil }
        return index + 1
    }

    /// UTC midnight of a real Gregorian date (days from the civil date, H. Hinnant's algorithm).
    static func date(year: Int, month: Int, day: Int) -> Date? {
        let daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...9999).contains(year), (1...12).contains(month), (1...daysIn[month - 1]).contains(day) else {
            return nil
        }
        if month == 2, day == 29, !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }
}
