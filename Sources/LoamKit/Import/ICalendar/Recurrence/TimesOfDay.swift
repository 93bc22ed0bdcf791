/// The times of day of a period, in order, as hours × minutes × seconds: the product is what BYHOUR, BYMINUTE and
/// BYSECOND expand to, but it is never built. With every value of the three a rule has 86,400 times (691 KB as
/// an array); a few hundred bytes of RRULE written thousands of times in one event took gigabytes that way.
struct TimesOfDay {
    /// The hours, minutes or seconds: one (the period's own, or DTSTART's), or a sorted list.
    enum Factor {
        case one(Int)
        case list([Int])

        var count: Int {
            switch self {
            case .one: 1
            case .list(let values): values.count
            }
        }

        subscript(index: Int) -> Int {
            switch self {
            case .one(let value): value
            case .list(let values): values[index]
            }
        }
    }

    var hours: Factor
    var minutes: Factor
    var seconds: Factor

    /// No time at all.
    static let none = TimesOfDay(hours: .list([]), minutes: .list([]), seconds: .list([]))

    var count: Int { hours.count * minutes.count * seconds.count }

    /// The second of the day of the `index`th time, hours first, then minutes, then seconds, as nested loops give.
    subscript(index: Int) -> Int {
        let perHour = minutes.count * seconds.count
        let withinHour = index % perHour
        return hours[index / perHour] * 3600 + minutes[withinHour / seconds.count] * 60
            + seconds[withinHour % seconds.count]
    }

    /// The index of the first time at or after `second` of the day; `count` when there is none. The times only
    /// grow with the index (each factor is sorted, and minutes and seconds stay below 60), so a binary search finds it.
    func firstIndex(atOrAfter second: Int) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if self[middle] < second { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
