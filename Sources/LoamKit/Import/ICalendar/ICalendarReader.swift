import Foundation

/// Reads an iCalendar file (Google, Apple, Outlook, Thunderbird exports) one event at a time, in bounded memory.
///
/// It reads the file twice. The first pass is quick and keeps only what an event may need from elsewhere in the
/// file: the VTIMEZONE offsets (Outlook writes them first, others last) and the keys of the instances that
/// RECURRENCE-ID overrides replace (an override may come before or after its series); memory grows with those,
/// never with the events. The second pass hands out the events.
///
/// What is lost when a file is damaged:
/// - a line inside an event that is not a property, or one longer than a megabyte, loses only itself;
/// - an event with no DTSTART, one that cannot be read, or no END:VEVENT before the next component, the end of
///   the calendar or the end of the file is `.skipped` with its BEGIN line, and reading goes on;
/// - lines outside any component that are not iCalendar (binary junk) are one `.skipped` per run of them;
/// - an event whose recurrence the file's budget cut short (`RecurrenceBudget`: rules that search millions of empty
///   days or give millions of starts in all, or EXDATEs that remove 100,000 of an event's) keeps what was found,
///   and a `.skipped` with its BEGIN line follows it.
public final class ICalendarReader {
    public let totalBytes: Int64
    /// Progress in bytes of `totalBytes`: each pass counts for half, and the end of the second is `totalBytes`.
    public var bytesRead: Int64 {
        guard let scanner else { return indexedBytes / 2 }
        return (totalBytes + scanner.consumed) / 2
    }

    private let source: any ImportByteSource
    private let firstChunk: [UInt8]
    private let now: Date
    private let floatingZone: TimeZone
    private var indexedBytes: Int64 = 0
    /// Occurrences kept per recurring event. Only the fuzz target lowers it: past a few hundred, a FREQ=SECONDLY
    /// series runs the same code again, and at 10,000 per event an 8 KB input took seconds.
    var occurrenceLimit = ICalendarEventBuilder.maximumOccurrences
    /// The file's budget for expanding recurrences, set before the first `next()`; once reading has begun, what
    /// is left of it (tests lower it and read what was spent).
    var recurrenceBudget: RecurrenceBudget {
        get { builder?.budget ?? initialBudget }
        set { initialBudget = newValue }
    }
    private var initialBudget = RecurrenceBudget()
    /// Set once the first pass is done: the second pass and what the first found.
    private var scanner: ICalComponentScanner?
    private var builder: ICalendarEventBuilder?
    /// A report that follows the event before it (its recurrence cut short by the file's budget).
    private var pendingReport: ICalendarItem?

    /// `now` bounds the occurrences (none after it); floating times and dates are read in `floatingZone`.
    /// Throws `ImportFileError.unreadable` when the file cannot be opened or read, `.notThisFormat(expected:
    /// "ics")` when its first bytes are not `BEGIN:VCALENDAR` (after a BOM and blank lines).
    public convenience init(path: String, now: Date = Date(), floatingZone: TimeZone = TimeZone(identifier: "UTC")!)
        throws
    {
        try self.init(source: FileByteSource(path: path), now: now, floatingZone: floatingZone)
    }

    /// Reads from any byte source (a sealed upload spool, bytes in memory); throws as `init(path:)` does.
    public init(
        source: any ImportByteSource, now: Date = Date(), floatingZone: TimeZone = TimeZone(identifier: "UTC")!
    ) throws {
        totalBytes = source.size
        firstChunk = try source.read(upToCount: VCardLineSource.chunkSize)
        guard ImportFormat.detect(firstChunk) == .ics else { throw ImportFileError.notThisFormat(expected: "ics") }
        self.source = source
        self.now = now
        self.floatingZone = floatingZone
    }

    /// The next event, or an `.ignored` or `.skipped` item; nil at the end of the file.
    public func next() throws -> ICalendarItem? {
        if scanner == nil { try index() }
        if let report = pendingReport {
            pendingReport = nil
            return report
        }
        while let scanned = try scanner?.next() {
            switch scanned {
            case .component(let component):
                switch component.name {
                case "VEVENT":
                    guard let (item, report) = builder?.items(for: component) else { return nil }
                    pendingReport = report
                    return item
                case "VTODO": return .ignored(line: component.line, reason: "a to-do (VTODO)")
                case "VJOURNAL": return .ignored(line: component.line, reason: "a journal entry (VJOURNAL)")
                case "VFREEBUSY": return .ignored(line: component.line, reason: "free/busy times (VFREEBUSY)")
                case "VALARM": return .ignored(line: component.line, reason: "an alarm outside any event (VALARM)")
                default: continue  // VTIMEZONE (read in the first pass), VAVAILABILITY, X- components
                }
            case .unterminated(let component, let reason):
                if component.name == "VEVENT" { return .skipped(line: component.line, reason: reason) }
                if component.name == "VTODO" || component.name == "VJOURNAL" {
                    return .ignored(line: component.line, reason: "an unfinished \(component.name): \(reason)")
                }
            case .junk(let line, let count):
                let reason = count == 1 ? "a line that is not iCalendar" : "\(count) lines that are not iCalendar"
                return .skipped(line: line, reason: reason)
            }
        }
        return nil
    }

    /// The first pass: time zones and overridden instances.
    private func index() throws {
        var indexer = ICalComponentScanner(
            source: VCardLineSource(source: source, firstChunk: firstChunk),
            keep: ["TZID", "UID", "RECURRENCE-ID", "DTSTART"], keepNested: ["TZOFFSETTO"])
        var offsets: [String: Int] = [:]
        var overrides: [(uid: String, recurrenceID: ICalProperty, start: ICalProperty)] = []
        while let scanned = try indexer.next() {
            indexedBytes = indexer.consumed
            guard case .component(let component) = scanned else { continue }
            switch component.name {
            case "VTIMEZONE":
                guard let tzid = component.first("TZID")?.value.trimmingCharacters(in: .whitespaces), !tzid.isEmpty,
                    offsets.count < 10_000
                else { continue }
                let standard = component.nested.first { $0.component == "STANDARD" && $0.property.name == "TZOFFSETTO" }
                let any = component.nested.first { $0.property.name == "TZOFFSETTO" }
                if let offset = (standard ?? any).flatMap({ ICalTimeZones.parseOffset($0.property.value) }) {
                    offsets[tzid] = offset
                }
            case "VEVENT":
                // Only an override the second pass will read as one (it has a DTSTART) hides its instance.
                guard let uid = ICalendarEventBuilder.uid(component),
                    let recurrenceID = component.first("RECURRENCE-ID"),
                    let start = component.first("DTSTART")
                else { continue }
                overrides.append((uid, recurrenceID, start))
            default:
                continue
            }
        }
        indexedBytes = totalBytes
        var builder = ICalendarEventBuilder(
            zones: ICalTimeZones(definedOffsets: offsets), overridden: [], now: now, floatingZone: floatingZone)
        var overridden: Set<String> = []
        for (uid, property, start) in overrides {
            guard builder.dateTime(start) != nil, let recurrenceID = builder.dateTime(property) else { continue }
            overridden.insert(uid + "#" + ICalendarEventBuilder.recurrenceKey(recurrenceID, floatingZone: floatingZone))
        }
        self.builder = ICalendarEventBuilder(
            zones: builder.zones, overridden: overridden, now: now, floatingZone: floatingZone,
            occurrenceLimit: occurrenceLimit, budget: initialBudget)

        try source.rewind()
        let first = try source.read(upToCount: VCardLineSource.chunkSize)
        scanner = ICalComponentScanner(
            source: VCardLineSource(source: source, firstChunk: first), keep: ICalendarEventBuilder.eventProperties)
    }
}
