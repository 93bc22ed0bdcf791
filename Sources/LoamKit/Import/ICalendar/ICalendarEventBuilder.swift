import Crypto
import Foundation

/// Turns a VEVENT component into an `ICalendarItem`: its people, its zone-resolved start and the occurrences
/// up to `now`.
struct ICalendarEventBuilder {
    /// What a VEVENT is read for; the rest of its properties are read past.
    static let eventProperties: Set<String> = [
        "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "ORGANIZER", "ATTENDEE", "DTSTART", "STATUS", "RRULE", "RDATE",
        "EXDATE", "RECURRENCE-ID", "X-MICROSOFT-CDO-ALLDAYEVENT",
    ]
    /// A recurring event keeps at most this many occurrences (a daily meeting for 27 years), so a rule like
    /// FREQ=MINUTELY from 1970 costs bounded time and memory.
    static let maximumOccurrences = 10_000
    /// RRULEs read per event. RFC 5545 says an event SHOULD NOT have more than one and exporters write one; each
    /// more can cost a step per occurrence, and one that never matches up to 200,000 empty periods before it gives
    /// up, so 100 of them in a 5 KB event took 11 s of the fuzz build's time. (Across events, the file's
    /// `RecurrenceBudget` bounds the same.)
    static let maximumRules = 10

    var zones: ICalTimeZones
    /// Keys (`uid#recurrence-id`) of the instances that RECURRENCE-ID components replace, from the whole file.
    let overridden: Set<String>
    let now: Date
    let floatingZone: TimeZone
    var occurrenceLimit = Self.maximumOccurrences
    /// Shared by the events of the file, in file order.
    var budget = RecurrenceBudget()
    /// Internal, not private: a private property would make the memberwise initializer private too.
    var ruleCache: [String: RecurrenceRule?] = [:]

    /// The item for `event`, and a `.skipped` report to hand out after it when the file's recurrence budget cut
    /// its expansion short (the event keeps the occurrences found until then).
    mutating func items(for event: ICalComponent) -> (item: ICalendarItem, report: ICalendarItem?) {
        var exhausted: RecurrenceBudget.Exhausted?
        let item = item(for: event, exhausted: &exhausted)
        guard let exhausted, case .event(let built) = item else { return (item, nil) }
        let kept =
            built.occurrences.count == 1
            ? "1 occurrence kept" : "\(Self.grouped(built.occurrences.count)) occurrences kept"
        let reason =
            switch exhausted {
            case .emptyDays:
                "an event whose recurrence was cut short: this file's recurrence rules had already searched "
                    + "\(Self.grouped(budget.emptyDays)) days that held no occurrence (a rule such as February 30th "
                    + "never matches), so this event's rules stopped at their first empty period; \(kept)"
            case .occurrences:
                "an event whose recurrence was cut short: this file's recurrence rules had already given "
                    + "\(Self.grouped(budget.occurrences)) starts; \(kept)"
            case .eventStarts:
                "an event whose recurrence was cut short: its EXDATEs had already removed "
                    + "\(Self.grouped(occurrenceLimit * RecurrenceBudget.startsPerOccurrence)) of its rules' starts; \(kept)"
            }
        return (item, .skipped(line: event.line, reason: reason))
    }

    /// 4000000 as "4,000,000".
    private static func grouped(_ number: Int) -> String {
        var text = String(number)
        var index = text.endIndex
        while text.distance(from: text.startIndex, to: index) > 3 {
            index = text.index(index, offsetBy: -3)
            text.insert(",", at: index)
        }
        return text
    }

    private mutating func item(for event: ICalComponent, exhausted: inout RecurrenceBudget.Exhausted?) -> ICalendarItem
    {
        if let status = event.first("STATUS"), ICalASCII.uppercased(status.value.trimmedWhitespace, equals: "CANCELLED")
        {
            let what = event.first("RECURRENCE-ID") == nil ? "a cancelled event" : "a cancelled occurrence"
            return .ignored(line: event.line, reason: what)
        }
        guard let startProperty = event.first("DTSTART") else {
            return .skipped(line: event.line, reason: "an event with no DTSTART")
        }
        guard let start = dateTime(startProperty) else {
            let shown = startProperty.value.prefix(40)
            return .skipped(line: event.line, reason: "an event whose DTSTART \"\(shown)\" is not a date or time")
        }
        let uid = Self.uid(event)
        let organizer = event.first("ORGANIZER").flatMap(Self.participant)
        let base =
            uid
            ?? Self.hashKey(start: startProperty.value, summary: event.first("SUMMARY")?.value, organizer: organizer)

        let starts: [(instant: Date, value: ICalDateTime)]
        var overrideKey: String?
        if let property = event.first("RECURRENCE-ID"), let recurrenceID = dateTime(property) {
            // An override: one instance, still known by the recurrence id of the instance it replaces.
            overrideKey = Self.recurrenceKey(recurrenceID, floatingZone: floatingZone)
            starts = start.date(floatingZone: floatingZone).map { [($0, start)] } ?? []
        } else {
            let expansion = expand(event, start: start)
            starts = expansion.starts
            exhausted = expansion.exhausted
        }
        var occurrences: [ICalendarOccurrence] = []
        occurrences.reserveCapacity(starts.count)
        for (date, instance) in starts where date <= now {
            let key = base + "#" + (overrideKey ?? Self.recurrenceKey(instance, instant: date))
            if overrideKey == nil, uid != nil, overridden.contains(key) { continue }
            occurrences.append(ICalendarOccurrence(start: date, key: key))
        }
        occurrences.sort { $0.start < $1.start }

        var attendees: [ICalendarParticipant] = []
        var seen: Set<String> = []
        for property in event.properties where property.name == "ATTENDEE" {
            guard !(property.parameter("PARTSTAT").map { ICalASCII.uppercased($0, equals: "DECLINED") } ?? false),
                var person = Self.participant(property),
                seen.insert(ICalASCII.lowercased(person.email)).inserted
            else { continue }
            person.answer = property.parameter("PARTSTAT").map { $0.trimmedWhitespace.lowercased() }
            attendees.append(person)
        }
        let allDayFlag = event.first("X-MICROSOFT-CDO-ALLDAYEVENT")?.value.trimmedWhitespace
        return .event(
            ICalendarEvent(
                line: event.line, uid: uid, summary: event.first("SUMMARY")?.text,
                description: event.first("DESCRIPTION")?.text, location: event.first("LOCATION")?.text,
                organizer: organizer, attendees: attendees,
                isAllDay: start.isDateOnly || allDayFlag.map { ICalASCII.uppercased($0, equals: "TRUE") } == true,
                occurrences: occurrences))
    }

    private mutating func expand(_ event: ICalComponent, start: ICalDateTime) -> RecurrenceExpander.Expansion {
        var rules: [RecurrenceRule] = []
        for property in event.properties where property.name == "RRULE" {
            guard let rule = parsedRule(property.value) else { continue }
            rules.append(rule)
            if rules.count == Self.maximumRules { break }
        }
        var rdates: [ICalDateTime] = []
        var exdates: [ICalDateTime] = []
        for property in event.properties where property.name == "RDATE" { rdates += dateTimes(property) }
        for property in event.properties where property.name == "EXDATE" { exdates += dateTimes(property) }
        if rules.isEmpty && rdates.isEmpty {
            return .init(starts: start.date(floatingZone: floatingZone).map { [($0, start)] } ?? [], exhausted: nil)
        }
        return RecurrenceExpander.occurrences(
            dtstart: start, rules: rules, rdates: rdates, exdates: exdates, through: now, floatingZone: floatingZone,
            limit: occurrenceLimit, budget: &budget)
    }

    /// A file repeats the same few RRULE texts (exporters write "FREQ=WEEKLY;BYDAY=MO" thousands of times): each is
    /// parsed once. Nil for a rule that does not parse.
    private mutating func parsedRule(_ text: String) -> RecurrenceRule? {
        if let cached = ruleCache[text] { return cached }
        let rule = try? RecurrenceRule.parse(text)
        if ruleCache.count < Self.maximumCachedRules { ruleCache[text] = rule }
        return rule
    }

    private static let maximumCachedRules = 1000

    // MARK: Values

    static func uid(_ component: ICalComponent) -> String? {
        guard let value = component.first("UID")?.value.trimmedWhitespace, !value.isEmpty else {
            return nil
        }
        return value
    }

    /// A DATE or DATE-TIME property in its TZID's zone (floating when the TZID means nothing, UTC when it ends in
    /// Z). VALUE=DATE keeps only the date of a value written with a time.
    mutating func dateTime(_ property: ICalProperty) -> ICalDateTime? {
        dateTime(property.value, of: property)
    }

    /// RDATE and EXDATE lists: "20260105T090000,20260112T090000", periods ("…/PT1H") by their start.
    mutating func dateTimes(_ property: ICalProperty) -> [ICalDateTime] {
        var values: [ICalDateTime] = []
        for item in property.value.split(separator: ",") {
            let start = item.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            if let value = dateTime(start, of: property) { values.append(value) }
        }
        return values
    }

    private mutating func dateTime(_ text: String, of property: ICalProperty) -> ICalDateTime? {
        var text = text.trimmedWhitespace
        if text.utf8.contains(0x2D) || text.utf8.contains(0x3A) {
            // ISO 8601's extended form ("2026-01-05T09:00:00Z"), which some web exporters write.
            text.removeAll { $0 == "-" || $0 == ":" }
        }
        if let kind = property.parameter("VALUE"), ICalASCII.uppercased(kind, equals: "DATE"), text.count > 8 {
            text = String(text.prefix(8))
        }
        let zone = property.parameter("TZID").flatMap { zones.zone(forTZID: $0) }
        return ICalDateTime.parse(text, zone: zone)
    }

    /// The instance part of an occurrence's key: the UTC instant, so the same instance written in another zone
    /// (an override's RECURRENCE-ID in UTC, its master in Berlin) has the same key; a date for a date; the wall
    /// clock for a floating time, which names no instant.
    static func recurrenceKey(_ value: ICalDateTime, floatingZone: TimeZone) -> String {
        let keyedByFields = value.isDateOnly || value.zone == .floating
        return recurrenceKey(value, instant: keyedByFields ? nil : value.date(floatingZone: floatingZone))
    }

    /// `recurrenceKey(_:floatingZone:)` for a value whose instant is known (nil only when there is none).
    static func recurrenceKey(_ value: ICalDateTime, instant: Date?) -> String {
        if value.isDateOnly { return digits(value.year, value.month, value.day) }
        if value.zone == .floating {
            return digits(value.year, value.month, value.day, time: (value.hour, value.minute, value.second))
        }
        guard let date = instant else { return value.description }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.civil(days)
        return digits(year, month, day, time: (time / 3600, time % 3600 / 60, time % 60), utc: true)
    }

    /// `yyyyMMdd`, then `'T'HHmmss` and `Z`, each field zero-padded to its width and a wider one written whole.
    /// Written into a stack buffer: a key per occurrence, and the Strings of each field cost more than the rest.
    private static func digits(_ year: Int, _ month: Int, _ day: Int, time: (Int, Int, Int)? = nil, utc: Bool = false)
        -> String
    {
        let twoDigits = 0..<100
        let fits =
            (0..<10_000).contains(year) && twoDigits.contains(month) && twoDigits.contains(day)
            && time.map { twoDigits.contains($0.0) && twoDigits.contains($0.1) && twoDigits.contains($0.2) } ?? true
        guard fits else {
            func digits(_ number: Int, _ width: Int) -> String {
                let text = String(number)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            var text = digits(year, 4) + digits(month, 2) + digits(day, 2)
            if let (hour, minute, second) = time {
                text += "T" + digits(hour, 2) + digits(minute, 2) + digits(second, 2)
            }
            return utc ? text + "Z" : text
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            var count = 0
            func put(_ byte: UInt8) {
                buffer[count] = byte
                count += 1
            }
            func put(_ number: Int, divisor: Int) {
                var divisor = divisor
                var rest = number
                while divisor > 0 {
                    put(0x30 + UInt8(rest / divisor))
                    rest %= divisor
                    divisor /= 10
                }
            }
            put(year, divisor: 1000)
            put(month, divisor: 10)
            put(day, divisor: 10)
            if let (hour, minute, second) = time {
                put(0x54)
                put(hour, divisor: 10)
                put(minute, divisor: 10)
                put(second, divisor: 10)
            }
            if utc { put(0x5A) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// For an event without a UID: the same DTSTART, SUMMARY and ORGANIZER give the same key in every export.
    static func hashKey(start: String, summary: String?, organizer: ICalendarParticipant?) -> String {
        let material = [start, summary ?? "", organizer?.email.lowercased() ?? ""].joined(separator: "\n")
        let digest = SHA256.hash(data: Array(material.utf8))
        return "sha256:"
            + digest.prefix(16).map { byte in
                let text = String(byte, radix: 16)
                return byte < 16 ? "0" + text : text
            }.joined()
    }
}
