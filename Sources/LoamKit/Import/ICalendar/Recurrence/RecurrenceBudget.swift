/// What expanding every recurring event of one file may cost in all, shared by its events in file order.
///
/// Each rule already stops after a run of empty periods long enough to prove it never matches (400 years of
/// days), and each event after 10,000 occurrences and 10 rules; but a file can hold any number of such events,
/// and 100 events whose rules never match took minutes. The budget bounds the file as a whole: the days (or, for
/// HOURLY, MINUTELY and SECONDLY, the periods) searched in periods that gave no instance, and the starts the rules
/// gave. Neither is near what a real calendar spends: a monthly rule on the 31st searches about 150 empty days a
/// year, a yearly one on February 29th about 1,100, and five million occurrences would be a daily meeting in each
/// of 1,400 series for ten years.
struct RecurrenceBudget {
    /// The empty days a file may search: ten times a never-matching rule's own limit of 400 years.
    static let fileEmptyDays = 4_000_000
    /// The starts a file's rules may give, kept or not (removed by EXDATE, given twice): 500 events at the
    /// per-event cap of 10,000 occurrences. DTSTART and RDATEs are not charged: they are as many as the file has
    /// bytes for.
    static let fileOccurrences = 5_000_000
    /// An event's EXDATEs may remove this many of its rules' starts for each occurrence it may keep (`limit`, so
    /// 100,000 in an import): a real series loses one to each EXDATE, a SECONDLY one 86,400 to each all-day EXDATE.
    static let startsPerOccurrence = 10

    /// What the file started with.
    let emptyDays: Int
    let occurrences: Int
    private(set) var emptyDaysLeft: Int
    private(set) var occurrencesLeft: Int

    init(emptyDays: Int = Self.fileEmptyDays, occurrences: Int = Self.fileOccurrences) {
        self.emptyDays = emptyDays
        self.occurrences = occurrences
        emptyDaysLeft = emptyDays
        occurrencesLeft = occurrences
    }

    /// Spends `days` searched without an instance; false once the budget was already spent.
    mutating func spendEmpty(_ days: Int) -> Bool {
        guard emptyDaysLeft > 0 else { return false }
        emptyDaysLeft -= days
        return true
    }

    mutating func spendOccurrence() {
        occurrencesLeft -= 1
    }

    /// Why an event's expansion stopped before its rules, `limit` or `end` ended it.
    enum Exhausted: Sendable, Hashable {
        /// A rule ran into an empty stretch after the file's empty days were spent.
        case emptyDays
        /// The file's occurrences were spent.
        case occurrences
        /// The event's EXDATEs removed `startsPerOccurrence` of its rules' starts for each occurrence it may keep.
        case eventStarts
    }
}
