extension RecurrencePlan {
    /// Whether the rule, started at `start`, can be shown in a few microseconds to have no instance at all: a
    /// time list left empty (BYSECOND=60 only), month days no month has (BYMONTH=2;BYMONTHDAY=30, BYMONTHDAY=31 in
    /// 30-day months), year days outside the months (BYYEARDAY=1;BYMONTH=2), ordinals no month holds (BYDAY=5MO
    /// with BYMONTHDAY=1), or an INTERVAL that never reaches the months, weekdays or times asked for (a MONTHLY
    /// rule every 12 months from February on the 30th; HOURLY;INTERVAL=2 from 9:00 at BYHOUR=10). Without this
    /// such a rule walks 400 years of empty periods before it gives up. False means "perhaps": BYWEEKNO, BYSETPOS
    /// and the lattices of WEEKLY and YEARLY intervals are not looked at, and those rules stop by their empty
    /// periods and the file's `RecurrenceBudget`.
    func neverMatches(from start: WallTime) -> Bool {
        if !isDateOnly, hours?.isEmpty == true || minutes?.isEmpty == true || seconds?.isEmpty == true { return true }
        if !someDayCanMatch(startDay: start.day) { return true }
        // A date-only series takes each matching day once, at no time of day.
        if !isDateOnly, !someTimeIsReached(startSecond: start.second) { return true }
        return false
    }

    /// Tries the days of a common and of a leap year against BYMONTH, BYMONTHDAY, BYYEARDAY and ordinal BYDAY,
    /// in the months the interval reaches. Any date of either kind of year falls on every weekday in some year,
    /// so the weekday itself never rules a day out here.
    private func someDayCanMatch(startDay: Int) -> Bool {
        var reachable = months ?? Array(repeating: true, count: 13)
        switch frequency {
        case .monthly:
            // Months are visited at startMonth + k × INTERVAL: only those congruent modulo gcd(INTERVAL, 12).
            let step = Self.gcd(interval, 12)
            let startMonth = CivilCalendar.civil(startDay).month
            for month in 1...12 where (month - startMonth + 12) % step != 0 { reachable[month] = false }
        case .daily:
            // Every 7th day (or 14th…) is always the same weekday.
            if interval % 7 == 0, let weekdays, !weekdays[CivilCalendar.weekday(startDay).rawValue] { return false }
        default:
            break
        }
        guard reachable[1...].contains(true) else { return false }
        let ordinalsOnly = weekdays == nil && !ordinalWeekdays.isEmpty
        // Every month has its days 1 to 28 and its last 28.
        if yearDays.isEmpty, !ordinalsOnly, monthDays.allSatisfy({ abs($0) <= 28 }) { return true }
        let ordinals = ordinalWeekdays.map { entry in entry - ((entry + 64) >> 7) * 128 }
        for isLeap in [false, true] {
            let yearLength = isLeap ? 366 : 365
            var firstOfMonth = 0
            for month in 1...12 {
                let length = ICalDateTime.daysIn(month: month, year: isLeap ? 2000 : 2001)
                defer { firstOfMonth += length }
                guard reachable[month] else { continue }
                for day in 1...length {
                    if !monthDays.isEmpty, !monthDays.contains(day), !monthDays.contains(day - length - 1) { continue }
                    let dayOfYear = firstOfMonth + day
                    if !yearDays.isEmpty, !yearDays.contains(dayOfYear), !yearDays.contains(dayOfYear - yearLength - 1)
                    {
                        continue
                    }
                    if ordinalsOnly {
                        // As `dayMatches` counts them: the nth of its weekday from the start or the end of the period.
                        let (position, periodLength) = ordinalsWithinMonth ? (day, length) : (dayOfYear, yearLength)
                        let fromStart = (position - 1) / 7 + 1
                        let fromEnd = -((periodLength - position) / 7 + 1)
                        guard ordinals.contains(where: { $0 == fromStart || $0 == fromEnd }) else { continue }
                    }
                    return true
                }
            }
        }
        return false
    }

    /// HOURLY, MINUTELY and SECONDLY periods are visited at DTSTART + k × INTERVAL: only the hours (minutes,
    /// seconds) of the day congruent to DTSTART's modulo gcd(INTERVAL, periods per day) are ever reached.
    private func someTimeIsReached(startSecond: Int) -> Bool {
        let perDay: Int
        let unit: Int
        switch frequency {
        case .hourly: (perDay, unit) = (24, 3600)
        case .minutely: (perDay, unit) = (1440, 60)
        case .secondly: (perDay, unit) = (86_400, 1)
        default: return true
        }
        let step = Self.gcd(interval, perDay)
        guard step > 1 else { return true }
        let start = startSecond / unit
        func reached(_ value: Int) -> Bool { (value - start) % step == 0 }
        let allMinutes = Array(0...59)
        for hour in hours ?? Array(0...23) {
            if frequency == .hourly {
                if reached(hour) { return true }
                continue
            }
            for minute in minutes ?? allMinutes {
                if frequency == .minutely {
                    if reached(hour * 60 + minute) { return true }
                    continue
                }
                for second in seconds ?? allMinutes where reached(hour * 3600 + minute * 60 + second) { return true }
            }
        }
        return false
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
