import Foundation

/// One thing `ICalendarReader.next()` hands out, in file order.
public enum ICalendarItem: Sendable {
    case event(ICalendarEvent)
    /// Something read whole that is deliberately not an interaction: a cancelled event or occurrence, a to-do,
    /// a journal entry, free/busy data, an alarm outside any event. `line` is that of its BEGIN.
    case ignored(line: Int, reason: String)
    /// Something that could not be read: an event with no or an unreadable DTSTART, one with no END:VEVENT,
    /// a run of lines that are not iCalendar.
    case skipped(line: Int, reason: String)
}

/// What Loam keeps of one VEVENT: who took part and when, never alarms, attachments or HTML descriptions.
public struct ICalendarEvent: Sendable {
    /// 1-based line of its BEGIN:VEVENT.
    public var line: Int
    public var uid: String?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var organizer: ICalendarParticipant?
    /// People who took part, each address once, in file order: declined attendees (PARTSTAT=DECLINED), rooms
    /// and resources (CUTYPE=ROOM or RESOURCE, Google's …@resource.calendar.google.com) and Google's calendar
    /// addresses (…@group.calendar.google.com) are left out.
    public var attendees: [ICalendarParticipant]
    /// DTSTART is a date (VALUE=DATE), or Outlook marks it all-day (X-MICROSOFT-CDO-ALLDAYEVENT).
    public var isAllDay: Bool
    /// Starts at or before the reader's `now`, in time order: one for a single event or a RECURRENCE-ID override,
    /// the expanded recurrence set for a recurring one, less the instances overridden anywhere in the file.
    /// Empty for an event that is still to come.
    public var occurrences: [ICalendarOccurrence]

    public init(
        line: Int, uid: String? = nil, summary: String? = nil, description: String? = nil, location: String? = nil,
        organizer: ICalendarParticipant? = nil, attendees: [ICalendarParticipant] = [], isAllDay: Bool = false,
        occurrences: [ICalendarOccurrence] = []
    ) {
        self.line = line
        self.uid = uid
        self.summary = summary
        self.description = description
        self.location = location
        self.organizer = organizer
        self.attendees = attendees
        self.isAllDay = isAllDay
        self.occurrences = occurrences
    }
}

public struct ICalendarParticipant: Sendable, Hashable {
    /// As written, without `mailto:`.
    public var email: String
    /// The CN parameter, RFC 6868 `^` escapes decoded; nil when absent or the address itself.
    public var name: String?
    /// An attendee's answer, the PARTSTAT parameter in lower case (`accepted`, `tentative`, `needs-action`, …);
    /// nil for the organizer and when the file gives none.
    public var answer: String?

    public init(email: String, name: String? = nil, answer: String? = nil) {
        self.email = email
        self.name = name
        self.answer = answer
    }
}

public struct ICalendarOccurrence: Sendable, Hashable {
    public var start: Date
    /// The same instance in any export of the same calendar: the UID (or, without one, a hash of DTSTART, SUMMARY
    /// and ORGANIZER), "#", and the instance's recurrence id: a UTC instant `yyyyMMdd'T'HHmmss'Z'`, a date
    /// `yyyyMMdd` for all-day events, or the wall-clock `yyyyMMdd'T'HHmmss` of a floating time.
    public var key: String

    public init(start: Date, key: String) {
        self.start = start
        self.key = key
    }
}
