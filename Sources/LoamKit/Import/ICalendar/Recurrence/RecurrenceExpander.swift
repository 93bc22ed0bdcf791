import Foundation

public enum RecurrenceExpander {
    /// Starts of the recurrence set (RFC 5545 §3.8.5.3): DTSTART, the RRULEs' and RDATEs' starts, minus EXDATEs, in
    /// time order, each in dtstart's zone, those at or before `end`, at most `limit`.
    ///
    /// Rules run on the wall clock of DTSTART's zone, so a weekly 9:00 stays at 9:00 across daylight saving. COUNT
    /// counts a rule's own instances (DTSTART counts only when the rule produces it, as in python-dateutil); an
    /// instance given twice (by two rules, an RDATE, DTSTART) appears once. EXDATE removes by instant, so an EXDATE
    /// in UTC or in another zone removes the local start it names; a date-only EXDATE removes every start on that
    /// date (of DTSTART's wall clock), and a date-time EXDATE removes the all-day start of its written date.
    /// Floating values and dates are placed in `floatingZone`. Work is bounded by `end`, `limit` and, for rules
    /// that match nothing, by a fixed number of empty periods, so any rule terminates quickly; an import also
    /// shares one `RecurrenceBudget` across a file's events.
    public static func starts(
        dtstart: ICalDateTime, rules: [RecurrenceRule], rdates: [ICalDateTime], exdates: [ICalDateTime],
        through end: Date, floatingZone: TimeZone, limit: Int
    ) -> [ICalDateTime] {
        var budget = RecurrenceBudget()
        return occurrences(
            dtstart: dtstart, rules: rules, rdates: rdates, exdates: exdates, through: end, floatingZone: floatingZone,
            limit: limit, budget: &budget
        ).starts.map(\.value)
    }

    /// What one expansion found, and whether the file's budget cut it short.
    struct Expansion {
        var starts: [(instant: Date, value: ICalDateTime)]
        var exhausted: RecurrenceBudget.Exhausted?
    }

    /// `starts`, each with its instant (what `value.date(floatingZone:)` gives): the expansion knows them already,
    /// and working them out again cost an importer more than the expansion itself. Charges `budget`, shared by the
    /// events of a file, for the occurrences found and the empty periods searched.
    static func occurrences(
        dtstart: ICalDateTime, rules: [RecurrenceRule], rdates: [ICalDateTime], exdates: [ICalDateTime],
        through end: Date, floatingZone: TimeZone, limit: Int, budget: inout RecurrenceBudget
    ) -> Expansion {
        guard limit > 0, dtstart.date(floatingZone: floatingZone) != nil else {
            return Expansion(starts: [], exhausted: nil)
        }
        let clock = RecurrenceWallClock(dtstart: dtstart, floatingZone: floatingZone)
        // Two days of slack: the instants of wall-clock times near `end` can move by a zone's transition.
        let latest = min(end, Date(timeIntervalSince1970: 253_402_300_799))
        let lastDay = clock.wall(of: latest).day + 2
        let exclusion = Exclusion(exdates, clock: clock)

        var fixed: [(instant: Date, value: ICalDateTime)] = []
        for value in [dtstart] + rdates.compactMap({ clock.placed($0, dtstart: dtstart) }) {
            if let instant = value.date(floatingZone: floatingZone) { fixed.append((instant, value)) }
        }
        fixed.sort { $0.instant < $1.instant }
        var fixedIndex = 0

        // The same rule twice gives the same starts twice: once is enough (a file may repeat a line thousands of times).
        var distinctRules = Set<RecurrenceRule>()
        var iterators = rules.filter { distinctRules.insert($0).inserted }.map {
            RecurrenceRuleIterator(
                rule: $0, dtstart: dtstart, lastDay: lastDay,
                isPastUntil: untilTest($0.until, dtstart: dtstart, clock: clock))
        }
        func pull(_ index: Int) -> RecurrenceHeads.Head? {
            while let wall = iterators[index].next(charging: &budget) {
                if let instant = clock.instant(wall) {
                    return .init(instant: instant, value: clock.value(wall), rule: index)
                }
            }
            return nil
        }
        var heads = RecurrenceHeads()
        for index in iterators.indices {
            if let head = pull(index) { heads.insert(head) }
        }

        var found: [(instant: Date, value: ICalDateTime)] = []
        var seen = Set<Date>()
        var exhausted: RecurrenceBudget.Exhausted?
        // Every start a rule gives is charged, kept or not: a SECONDLY rule gives 86,400 starts on each date an
        // all-day EXDATE removes, and ten such rules over a few weeks of EXDATEs took seconds for 700 bytes.
        // The starts EXDATE removes are bounded per event too; those given twice are bounded by the rules.
        let excludedLimit =
            limit > Int.max / RecurrenceBudget.startsPerOccurrence
            ? Int.max : limit * RecurrenceBudget.startsPerOccurrence
        var excluded = 0
        while found.count < limit {
            let next: (instant: Date, value: ICalDateTime)
            var fromRule = false
            // DTSTART and the RDATEs go first on a tie, then the rules in the order they are listed.
            if let head = heads.first, fixedIndex == fixed.count || head.instant < fixed[fixedIndex].instant {
                guard head.instant <= end else { break }
                guard budget.occurrencesLeft > 0, excluded < excludedLimit else {
                    exhausted = excluded < excludedLimit ? .occurrences : .eventStarts
                    heads = RecurrenceHeads()
                    continue
                }
                budget.spendOccurrence()
                heads.removeFirst()
                if let following = pull(head.rule) { heads.insert(following) }
                next = (head.instant, head.value)
                fromRule = true
            } else if fixedIndex < fixed.count {
                next = fixed[fixedIndex]
                guard next.instant <= end else { break }
                fixedIndex += 1
            } else {
                break
            }
            if exclusion.excludes(next.value, instant: next.instant) {
                if fromRule { excluded += 1 }
                continue
            }
            guard seen.insert(next.instant).inserted else { continue }
            found.append(next)
        }
        if exhausted == nil, iterators.contains(where: \.stoppedByBudget) { exhausted = .emptyDays }
        // A rule yields in wall-clock order, which differs from time order only around a spring-forward gap.
        return Expansion(starts: found.sorted { $0.instant < $1.instant }, exhausted: exhausted)
    }

    /// RFC 5545 §3.3.10: UNTIL bounds the rule inclusively. A date bounds by day; a DATE-TIME in DTSTART's own zone
    /// (or floating) is compared on the wall clock, one in UTC with a zoned or floating DTSTART by instant.
    static func untilTest(_ until: ICalDateTime?, dtstart: ICalDateTime, clock: RecurrenceWallClock)
        -> RecurrenceRuleIterator.Until
    {
        guard let until else { return { _ in false } }
        if dtstart.isDateOnly || until.isDateOnly {
            let lastDay = CivilCalendar.dayNumber(year: until.year, month: until.month, day: until.day)
            return { $0.day > lastDay }
        }
        if until.zone == dtstart.zone || until.zone == .floating {
            let bound = WallTime(
                day: CivilCalendar.dayNumber(year: until.year, month: until.month, day: until.day),
                second: until.hour * 3600 + until.minute * 60 + min(until.second, 59))
            return { $0 > bound }
        }
        guard let bound = until.date(floatingZone: clock.floatingZone) else { return { _ in false } }
        return { wall in clock.instant(wall).map { $0 > bound } ?? false }
    }

    /// The EXDATEs of a series, ready to test starts against.
    struct Exclusion {
        private var instants = Set<Date>()
        private var dates = Set<Int>()
        private var writtenDatesOfTimes = Set<Int>()

        init(_ exdates: [ICalDateTime], clock: RecurrenceWallClock) {
            for exdate in exdates {
                let day = CivilCalendar.dayNumber(year: exdate.year, month: exdate.month, day: exdate.day)
                if exdate.isDateOnly {
                    dates.insert(day)
                } else {
                    writtenDatesOfTimes.insert(day)
                    if let instant = exdate.date(floatingZone: clock.floatingZone) { instants.insert(instant) }
                }
            }
        }

        func excludes(_ start: ICalDateTime, instant: Date) -> Bool {
            let day = CivilCalendar.dayNumber(year: start.year, month: start.month, day: start.day)
            if start.isDateOnly { return dates.contains(day) || writtenDatesOfTimes.contains(day) }
            return instants.contains(instant) || dates.contains(day)
        }
    }
}
