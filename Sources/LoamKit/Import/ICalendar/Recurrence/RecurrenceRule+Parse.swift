import Foundation

extension RecurrenceRule {
    /// Reads an RRULE value such as `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T000000Z`. Names and values are read
    /// case-insensitively, spaces and an empty trailing part are tolerated, and so is a leading `RRULE:`. Parts that
    /// RFC 5545 forbids together but that have one obvious reading (COUNT with UNTIL: whichever ends first; an
    /// ordinal in BYDAY of a WEEKLY rule: the weekday alone) are accepted, because exporters write them. Anything
    /// that cannot be read as the RFC defines it throws `RecurrenceRuleError`. (Trimming is the import readers'
    /// own, with Foundation's definitions: Foundation's took a tenth of reading a calendar.)
    public static func parse(_ text: String) throws -> RecurrenceRule {
        var body = Substring(text.trimmingSpacesAndNewlines())
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst(6) }
        var parts: [String: String] = [:]
        for raw in body.split(separator: ";", omittingEmptySubsequences: true) {
            let part = raw.trimmingSpaces()
            if part.isEmpty { continue }
            guard let equals = part.firstIndex(of: "=") else { throw RecurrenceRuleError.malformedPart(part) }
            let name = part[..<equals].trimmingSpaces().uppercased()
            let value = part[part.index(after: equals)...].trimmingSpaces().uppercased()
            guard !name.isEmpty else { throw RecurrenceRuleError.malformedPart(part) }
            guard parts[name] == nil else { throw RecurrenceRuleError.repeatedPart(name) }
            parts[name] = value
        }
        guard let frequencyText = parts.removeValue(forKey: "FREQ") else { throw RecurrenceRuleError.missingFrequency }
        guard let frequency = Frequency(keyword: frequencyText) else {
            throw RecurrenceRuleError.unknownFrequency(frequencyText)
        }
        var rule = RecurrenceRule(frequency: frequency)
        for (name, value) in parts.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "INTERVAL":
                // The cap keeps every later multiplication of the interval far from overflow.
                rule.interval = try integer(name, value, in: 1...1_000_000)
            case "COUNT":
                rule.count = try integer(name, value, in: 1...Int(Int32.max))
            case "UNTIL":
                guard let until = ICalDateTime.parse(value), until.year <= 9999 else {
                    throw RecurrenceRuleError.invalidValue(
                        part: name, value: value, expected: "a DATE or DATE-TIME such as 20261231T235959Z")
                }
                rule.until = until
            case "BYSECOND": rule.bySecond = try integers(name, value, in: 0...60, allowNegative: false)
            case "BYMINUTE": rule.byMinute = try integers(name, value, in: 0...59, allowNegative: false)
            case "BYHOUR": rule.byHour = try integers(name, value, in: 0...23, allowNegative: false)
            case "BYMONTHDAY": rule.byMonthDay = try integers(name, value, in: 1...31, allowNegative: true)
            case "BYYEARDAY": rule.byYearDay = try integers(name, value, in: 1...366, allowNegative: true)
            case "BYWEEKNO": rule.byWeekNo = try integers(name, value, in: 1...53, allowNegative: true)
            case "BYMONTH": rule.byMonth = try integers(name, value, in: 1...12, allowNegative: false)
            case "BYSETPOS": rule.bySetPos = try integers(name, value, in: 1...366, allowNegative: true)
            case "BYDAY": rule.byDay = try weekdayNumbers(value)
            case "WKST":
                guard let weekday = Weekday(keyword: value) else {
                    throw RecurrenceRuleError.invalidValue(
                        part: name, value: value, expected: "one of MO, TU, WE, TH, FR, SA, SU")
                }
                rule.weekStart = weekday
            case "RSCALE":
                // RFC 7529: only the Gregorian calendar is expanded here.
                guard value == "GREGORIAN" else { throw RecurrenceRuleError.unsupported(part: name, value: value) }
            case "SKIP":
                // RFC 7529's default, OMIT, is what RFC 5545 does anyway; the others move invalid dates.
                guard value == "OMIT" else { throw RecurrenceRuleError.unsupported(part: name, value: value) }
            default:
                // Experimental parts (x-name) are allowed by the grammar and carry nothing we could honour.
                guard name.hasPrefix("X-") else { throw RecurrenceRuleError.unknownPart(name) }
            }
        }
        return rule
    }

    private static func integer(_ name: String, _ value: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = plainInteger(value), range.contains(number) else {
            throw RecurrenceRuleError.invalidValue(
                part: name, value: value, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A comma-separated list; `allowNegative` admits -N for the parts that count from the end of a period.
    private static func integers(_ name: String, _ value: String, in range: ClosedRange<Int>, allowNegative: Bool)
        throws -> [Int]
    {
        var numbers = Set<Int>()
        let expected =
            allowNegative
            ? "a list of integers in \(range.lowerBound)...\(range.upperBound) or -\(range.upperBound)...-\(range.lowerBound)"
            : "a list of integers in \(range.lowerBound)...\(range.upperBound)"
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let text = item.trimmingSpaces()
            guard let number = plainInteger(text), range.contains(abs(number)), number >= 0 || allowNegative else {
                throw RecurrenceRuleError.invalidValue(part: name, value: value, expected: expected)
            }
            numbers.insert(number)
        }
        return numbers.sorted()
    }

    private static func weekdayNumbers(_ value: String) throws -> [WeekdayNumber] {
        var entries = Set<WeekdayNumber>()
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let text = item.trimmingSpaces()
            let invalid = RecurrenceRuleError.invalidValue(
                part: "BYDAY", value: value, expected: "a list like MO,TU or 1MO,-1FR (ordinals 1...53)")
            guard text.count >= 2, let weekday = Weekday(keyword: String(text.suffix(2))) else { throw invalid }
            let prefix = String(text.dropLast(2))
            var ordinal: Int?
            if !prefix.isEmpty {
                guard let number = plainInteger(prefix), (1...53).contains(abs(number)) else { throw invalid }
                ordinal = number
            }
            entries.insert(WeekdayNumber(weekday, ordinal: ordinal))
        }
        return entries.sorted { ($0.ordinal ?? 0, $0.weekday.rawValue) < ($1.ordinal ?? 0, $1.weekday.rawValue) }
    }

    /// Digits with an optional sign, nothing else: `Int("+5")` would do, but it also reads overlong values lazily.
    private static func plainInteger(_ text: String) -> Int? {
        var digits = Substring(text)
        var sign = 1
        if let first = digits.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(digits)
        else { return nil }
        return sign * value
    }
}

extension RecurrenceRule.Frequency {
    init?(keyword: String) {
        switch keyword {
        case "SECONDLY": self = .secondly
        case "MINUTELY": self = .minutely
        case "HOURLY": self = .hourly
        case "DAILY": self = .daily
        case "WEEKLY": self = .weekly
        case "MONTHLY": self = .monthly
        case "YEARLY": self = .yearly
        default: return nil
        }
    }
}

extension RecurrenceRule.Weekday {
    init?(keyword: String) {
        switch keyword {
        case "MO": self = .monday
        case "TU": self = .tuesday
        case "WE": self = .wednesday
        case "TH": self = .thursday
        case "FR": self = .friday
        case "SA": self = .saturday
        case "SU": self = .sunday
        default: return nil
        }
    }
}
