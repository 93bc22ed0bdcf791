/// A rule with RFC 5545's defaults filled in from one DTSTART and its lists turned into masks, so that testing a
/// day or a time costs a few lookups. Built once per (rule, DTSTART) and shared by every period of the expansion.
struct RecurrencePlan {
    let frequency: RecurrenceRule.Frequency
    let interval: Int
    let weekStart: Int
    let months: [Bool]?
    let weekNumbers: Set<Int>
    let yearDays: Set<Int>
    let monthDays: Set<Int>
    /// BYDAY without an ordinal (or any BYDAY of a rule finer than MONTHLY, where ordinals mean nothing).
    let weekdays: [Bool]?
    /// BYDAY with an ordinal, as `weekday * 128 + ordinal`, counted in the month or the year.
    let ordinalWeekdays: Set<Int>
    /// For a YEARLY rule with BYMONTH, ordinals count within the month (RFC 5545 §3.3.10, BYDAY).
    let ordinalsWithinMonth: Bool
    /// Sorted; nil means "every value" (only possible for the parts finer than the frequency).
    let hours: [Int]?
    let minutes: [Int]?
    let seconds: [Int]?
    let setPositions: [Int]
    let isDateOnly: Bool

    init(rule: RecurrenceRule, dtstart: ICalDateTime) {
        let startDay = CivilCalendar.dayNumber(year: dtstart.year, month: dtstart.month, day: dtstart.day)
        frequency = rule.frequency
        interval = max(1, rule.interval)
        weekStart = rule.weekStart.rawValue
        isDateOnly = dtstart.isDateOnly

        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var byDay = rule.byDay
        // RFC 5545 §3.3.10: "Information, not contained in the rule, necessary to determine the various recurrence
        // instance start time and dates are derived from the Start Time (DTSTART)".
        if rule.byWeekNo.isEmpty, rule.byYearDay.isEmpty, byMonthDay.isEmpty, byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [dtstart.month] }
                byMonthDay = [dtstart.day]
            case .monthly:
                byMonthDay = [dtstart.day]
            case .weekly:
                byDay = [.init(CivilCalendar.weekday(startDay))]
            default:
                break
            }
        }
        if byMonth.isEmpty {
            months = nil
        } else {
            var mask = Array(repeating: false, count: 13)
            for month in byMonth where (1...12).contains(month) { mask[month] = true }
            months = mask
        }
        weekNumbers = Set(rule.byWeekNo)
        yearDays = Set(rule.byYearDay)
        monthDays = Set(byMonthDay)
        let ordinalsCount = rule.frequency == .monthly || rule.frequency == .yearly
        var plain: [Bool]?
        var ordinals = Set<Int>()
        for entry in byDay {
            if let ordinal = entry.ordinal, ordinalsCount {
                ordinals.insert(entry.weekday.rawValue * 128 + ordinal)
            } else {
                if plain == nil { plain = Array(repeating: false, count: 7) }
                plain?[entry.weekday.rawValue] = true
            }
        }
        weekdays = plain
        ordinalWeekdays = ordinals
        ordinalsWithinMonth = rule.frequency == .monthly || !byMonth.isEmpty

        func timeList(_ values: [Int], start: Int, coarserThan frequency: RecurrenceRule.Frequency, upTo maximum: Int)
            -> [Int]?
        {
            if dtstart.isDateOnly { return [0] }
            // A leap second (60) names no instant Foundation knows; such a value is dropped, not rolled over.
            if !values.isEmpty { return values.filter { $0 <= maximum }.sorted() }
            return rule.frequency > frequency ? [start] : nil
        }
        hours = timeList(rule.byHour, start: dtstart.hour, coarserThan: .hourly, upTo: 23)
        minutes = timeList(rule.byMinute, start: dtstart.minute, coarserThan: .minutely, upTo: 59)
        seconds = timeList(rule.bySecond, start: min(dtstart.second, 59), coarserThan: .secondly, upTo: 59)
        setPositions = rule.bySetPos
    }

    /// Whether a day survives BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY. Each present part narrows the days
    /// of the period; as the period (a year, a month, a week or a day) already holds every day that part could
    /// expand to, RFC 5545's "expand" and "limit" both come down to this one test.
    func dayMatches(_ day: Int) -> Bool {
        let (year, month, dayOfMonth) = CivilCalendar.civil(day)
        if let months, !months[month] { return false }
        let monthLength = ICalDateTime.daysIn(month: month, year: year)
        if !monthDays.isEmpty, !monthDays.contains(dayOfMonth), !monthDays.contains(dayOfMonth - monthLength - 1) {
            return false
        }
        if !yearDays.isEmpty {
            let first = CivilCalendar.dayNumber(year: year, month: 1, day: 1)
            let dayOfYear = day - first + 1
            if !yearDays.contains(dayOfYear), !yearDays.contains(dayOfYear - CivilCalendar.daysIn(year: year) - 1) {
                return false
            }
        }
        if !weekNumbers.isEmpty, !weekNumberMatches(day) { return false }
        if weekdays != nil || !ordinalWeekdays.isEmpty {
            let weekday = CivilCalendar.weekday(day).rawValue
            var matches = weekdays?[weekday] ?? false
            if !matches, !ordinalWeekdays.isEmpty {
                let first: Int
                let last: Int
                if ordinalsWithinMonth {
                    first = day - dayOfMonth + 1
                    last = first + monthLength - 1
                } else {
                    first = CivilCalendar.dayNumber(year: year, month: 1, day: 1)
                    last = first + CivilCalendar.daysIn(year: year) - 1
                }
                let fromStart = (day - first) / 7 + 1
                let fromEnd = -((last - day) / 7 + 1)
                matches =
                    ordinalWeekdays.contains(weekday * 128 + fromStart)
                    || ordinalWeekdays.contains(weekday * 128 + fromEnd)
            }
            if !matches { return false }
        }
        return true
    }

    /// Week numbers as RFC 5545 defines them with WKST: week 1 is the first week with at least four days of the year,
    /// which is the week holding January 4th. A day is numbered in the year its week belongs to, so December 29th can
    /// be in week 1 and January 2nd in week 53; negative numbers count back from that year's last week.
    private func weekNumberMatches(_ day: Int) -> Bool {
        let start = weekStartDay(of: day)
        let weekYear = CivilCalendar.civil(start + 3).year
        let firstWeek = weekStartDay(of: CivilCalendar.dayNumber(year: weekYear, month: 1, day: 4))
        let nextFirstWeek = weekStartDay(of: CivilCalendar.dayNumber(year: weekYear + 1, month: 1, day: 4))
        let number = (start - firstWeek) / 7 + 1
        let weeksInYear = (nextFirstWeek - firstWeek) / 7
        return weekNumbers.contains(number) || weekNumbers.contains(number - weeksInYear - 1)
    }

    func weekStartDay(of day: Int) -> Int {
        day - (CivilCalendar.weekday(day).rawValue - weekStart + 7) % 7
    }
}
