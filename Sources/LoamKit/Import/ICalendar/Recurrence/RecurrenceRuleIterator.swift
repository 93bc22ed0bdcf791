/// A wall-clock moment of the expansion: a day number (days since 1970-01-01) and a second of that day.
struct WallTime: Hashable, Comparable {
    var day: Int
    var second: Int

    static func < (lhs: WallTime, rhs: WallTime) -> Bool { (lhs.day, lhs.second) < (rhs.day, rhs.second) }
}

/// Walks one RRULE period by period (RFC 5545 §3.3.10) on the wall clock of DTSTART and yields its instances in
/// order, from DTSTART on, until COUNT or UNTIL ends it, the period passes `lastDay`, or too many periods in a row
/// have yielded nothing. That last bound is what makes a rule that can never match (February 30th) stop: the
/// Gregorian calendar repeats every 400 years, so 400 empty years, 4,800 empty months, 20,871 empty weeks or
/// 146,097 empty days prove that no instance will ever come. Finer frequencies skip whole days (and hours, and
/// minutes) that cannot match, and give up after a fixed number of empty periods. Rules that provably never match
/// stop before their first period (`RecurrencePlan.neverMatches`), and every empty period is charged to the file's
/// `RecurrenceBudget`, so a file of many sparse or empty rules stops too.
struct RecurrenceRuleIterator {
    typealias Until = (WallTime) -> Bool

    private let plan: RecurrencePlan
    private let start: WallTime
    private let lastDay: Int
    private let isPastUntil: Until
    private let count: Int?
    /// BYHOUR × BYMINUTE × BYSECOND of a daily-or-coarser rule; for a finer one, the minutes and seconds each period
    /// of it holds. Kept as factors: with every value of the three, one rule has 86,400 times of day, and a file can
    /// hold thousands of such rules.
    private let timesOfDay: TimesOfDay
    private let minuteFactor: TimesOfDay.Factor
    private let secondFactor: TimesOfDay.Factor
    private let emptyPeriodLimit: Int

    /// The period: a year, a month index (year * 12 + month - 1), the first day of a week, a day number, or an
    /// absolute hour, minute or second since 1970-01-01 00:00 on the wall clock.
    private var period: Int
    /// The current period's candidates, in order: every day of `pendingDays` at every time of `pendingTimes`, kept
    /// as the two factors because their product can be huge (a YEARLY rule with every BYHOUR, BYMINUTE and BYSECOND
    /// has 31 million), or the few that BYSETPOS chose.
    private var pendingDays: [Int] = []
    private var pendingTimes = TimesOfDay.none
    private var chosen: [WallTime]?
    private var pendingIndex = 0
    private var emitted = 0
    private var emptyPeriods = 0
    private var last: WallTime?
    private var finished = false
    /// The days (or sub-daily periods) the last `fillPending` searched: what it costs the budget if it gave nothing.
    private var lastFillCost = 0
    /// Set when the rule stopped at an empty period because the file's `RecurrenceBudget` was spent.
    private(set) var stoppedByBudget = false

    /// Only 4-digit years can be written back as iCalendar values.
    private static let lastPossibleDay = CivilCalendar.dayNumber(year: 9999, month: 12, day: 31)

    /// `detectsEmptyRules` is off only in the test that checks `RecurrencePlan.neverMatches` against a full walk.
    init(
        rule: RecurrenceRule, dtstart: ICalDateTime, lastDay: Int, isPastUntil: @escaping Until,
        detectsEmptyRules: Bool = true
    ) {
        plan = RecurrencePlan(rule: rule, dtstart: dtstart)
        let startDay = CivilCalendar.dayNumber(year: dtstart.year, month: dtstart.month, day: dtstart.day)
        let startSecond = dtstart.isDateOnly ? 0 : dtstart.hour * 3600 + dtstart.minute * 60 + min(dtstart.second, 59)
        start = WallTime(day: startDay, second: startSecond)
        self.lastDay = min(lastDay, Self.lastPossibleDay)
        self.isPastUntil = isPastUntil
        count = rule.count
        minuteFactor = .list(plan.minutes ?? Array(0...59))
        secondFactor = .list(plan.seconds ?? Array(0...59))
        timesOfDay =
            rule.frequency >= .daily
            ? TimesOfDay(hours: .list(plan.hours ?? Array(0...23)), minutes: minuteFactor, seconds: secondFactor)
            : .none
        let absoluteHour = startDay * 24 + startSecond / 3600
        switch rule.frequency {
        case .yearly:
            period = dtstart.year
            emptyPeriodLimit = 400
        case .monthly:
            period = dtstart.year * 12 + dtstart.month - 1
            emptyPeriodLimit = 4800
        case .weekly:
            period = plan.weekStartDay(of: startDay)
            emptyPeriodLimit = 20_871
        case .daily:
            period = startDay
            emptyPeriodLimit = 146_097
        case .hourly:
            period = absoluteHour
            emptyPeriodLimit = 200_000
        case .minutely:
            period = absoluteHour * 60 + startSecond % 3600 / 60
            emptyPeriodLimit = 200_000
        case .secondly:
            period = startDay * 86_400 + startSecond
            emptyPeriodLimit = 200_000
        }
        // Provably empty rules (February 30th, BYSECOND=60) end here rather than after their empty periods.
        finished = detectsEmptyRules && plan.neverMatches(from: start)
    }

    /// The next instance, charging `budget` for each period that gave none.
    mutating func next(charging budget: inout RecurrenceBudget) -> WallTime? {
        while !finished {
            skipCandidatesBeforeStart()
            while pendingIndex < pendingCount {
                let candidate = pendingCandidate(pendingIndex)
                pendingIndex += 1
                // Strictly increasing: a date-only start with an hourly rule gives the same day 24 times.
                if candidate < start || (last.map { candidate <= $0 } ?? false) { continue }
                if candidate.day > lastDay || isPastUntil(candidate) {
                    finished = true
                    return nil
                }
                last = candidate
                emitted += 1
                emptyPeriods = 0
                if let count, emitted >= count { finished = true }
                return candidate
            }
            if emptyPeriods >= emptyPeriodLimit {
                finished = true
                return nil
            }
            // The period just read through gave nothing (an instance resets the count).
            if emptyPeriods > 0, !budget.spendEmpty(lastFillCost) {
                finished = true
                stoppedByBudget = true
                return nil
            }
            emptyPeriods += 1
            lastFillCost = fillPending()
        }
        return nil
    }

    private var pendingCount: Int { chosen?.count ?? pendingDays.count * pendingTimes.count }

    private func pendingCandidate(_ index: Int) -> WallTime {
        if let chosen { return chosen[index] }
        let times = pendingTimes.count
        return WallTime(day: pendingDays[index / times], second: pendingTimes[index % times])
    }

    /// Jumps over the candidates before DTSTART (or not after the last instance) at once rather than one by one:
    /// the first period of a dense rule can hold millions of them.
    private mutating func skipCandidatesBeforeStart() {
        guard chosen == nil, pendingIndex < pendingCount, pendingTimes.count > 0 else { return }
        let floor = max(start, last.map { WallTime(day: $0.day, second: $0.second + 1) } ?? start)
        guard pendingCandidate(pendingIndex) < floor else { return }
        let dayIndex = pendingDays.firstIndex { $0 >= floor.day } ?? pendingDays.count
        var index = dayIndex * pendingTimes.count
        if dayIndex < pendingDays.count, pendingDays[dayIndex] == floor.day {
            index += pendingTimes.firstIndex(atOrAfter: floor.second)
        }
        pendingIndex = max(pendingIndex, index)
    }

    /// Computes the candidates of the current period and moves `period` to the next one to visit. Returns the
    /// days it tested (1 for a sub-daily period, which tests at most one).
    @discardableResult
    private mutating func fillPending() -> Int {
        pendingDays.removeAll(keepingCapacity: true)
        pendingTimes = .none
        chosen = nil
        pendingIndex = 0
        let interval = plan.interval
        switch plan.frequency {
        case .yearly:
            let first = CivilCalendar.dayNumber(year: period, month: 1, day: 1)
            guard first <= lastDay else { return finish() }
            let days = CivilCalendar.daysIn(year: period)
            collect(days: first..<(first + days))
            period += interval
            return days
        case .monthly:
            let year = floorDivide(period, 12)
            let month = period - year * 12 + 1
            let first = CivilCalendar.dayNumber(year: year, month: month, day: 1)
            guard first <= lastDay else { return finish() }
            let days = ICalDateTime.daysIn(month: month, year: year)
            collect(days: first..<(first + days))
            period += interval
            return days
        case .weekly:
            guard period <= lastDay else { return finish() }
            collect(days: period..<(period + 7))
            period += 7 * interval
            return 7
        case .daily:
            guard period <= lastDay else { return finish() }
            collect(days: period..<(period + 1))
            period += interval
            return 1
        case .hourly, .minutely, .secondly:
            fillSubDaily()
            return 1
        }
    }

    private mutating func collect(days: Range<Int>) {
        guard timesOfDay.count > 0 else { return }
        for day in days where plan.dayMatches(day) { pendingDays.append(day) }
        pendingTimes = timesOfDay
        applySetPositions()
    }

    /// HOURLY, MINUTELY and SECONDLY: the period lies inside one day, so a day, hour or minute that cannot match is
    /// jumped over whole (to the first period of the interval's lattice after it) instead of period by period.
    private mutating func fillSubDaily() {
        let perDay: Int
        let perHour: Int
        switch plan.frequency {
        case .hourly: (perDay, perHour) = (24, 1)
        case .minutely: (perDay, perHour) = (1440, 60)
        default: (perDay, perHour) = (86_400, 3600)
        }
        let day = floorDivide(period, perDay)
        guard day <= lastDay else {
            finished = true
            return
        }
        let withinDay = period - day * perDay
        let hour = withinDay / perHour
        if !plan.dayMatches(day) { return advance(to: (day + 1) * perDay) }
        if plan.isDateOnly {
            // A date has no time of day: the day itself is the instance, once.
            pendingDays.append(day)
            pendingTimes = TimesOfDay(hours: .one(0), minutes: .one(0), seconds: .one(0))
            return advance(to: (day + 1) * perDay)
        }
        if let hours = plan.hours, !hours.contains(hour) { return advance(to: day * perDay + (hour + 1) * perHour) }
        pendingDays.append(day)
        switch plan.frequency {
        case .hourly:
            pendingTimes = TimesOfDay(hours: .one(hour), minutes: minuteFactor, seconds: secondFactor)
        case .minutely:
            let minute = withinDay % 60
            if let minutes = plan.minutes, !minutes.contains(minute) { return advance(to: period + 1) }
            pendingTimes = TimesOfDay(hours: .one(hour), minutes: .one(minute), seconds: secondFactor)
        default:
            let minute = withinDay % 3600 / 60
            if let minutes = plan.minutes, !minutes.contains(minute) {
                return advance(to: period - withinDay % 60 + 60)
            }
            if let seconds = plan.seconds, !seconds.contains(withinDay % 60) { return advance(to: period + 1) }
            pendingTimes = TimesOfDay(hours: .one(hour), minutes: .one(minute), seconds: .one(withinDay % 60))
        }
        applySetPositions()
        advance(to: period + 1)
    }

    /// Moves to the first period of the lattice DTSTART + k × INTERVAL that is at or after `target`.
    private mutating func advance(to target: Int) {
        let interval = plan.interval
        let steps = max(1, (target - period + interval - 1) / interval)
        period += steps * interval
    }

    private mutating func applySetPositions() {
        let count = pendingCount
        guard !plan.setPositions.isEmpty, count > 0 else { return }
        var picked = Set<WallTime>()
        for position in plan.setPositions {
            let index = position > 0 ? position - 1 : count + position
            if (0..<count).contains(index) { picked.insert(pendingCandidate(index)) }
        }
        chosen = picked.sorted()
    }

    private mutating func finish() -> Int {
        finished = true
        return 0
    }
}

func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}
