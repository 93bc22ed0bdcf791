import Foundation

/// Writes a Google Calendar / Outlook-like .ics: VTIMEZONE blocks (IANA names and one Windows name, as Outlook
/// writes them), events in those zones, in UTC and all-day, weekly and monthly RRULEs with EXDATEs, moved
/// occurrences (RECURRENCE-ID), cancelled events, and organizers and attendees with quoted or bare CNs, rooms,
/// declines and `mailto:` in either case, every line folded at 75 octets with CRLF.
enum ImportBenchmarkCalendar {
    static let zones: [(name: String, offsetMinutes: Int)] = [
        ("America/New_York", -300), ("Europe/Berlin", 60), ("W. Europe Standard Time", 60), ("Asia/Tokyo", 540),
    ]

    /// Writes `events` VEVENTs (moved occurrences included); returns the file's size.
    static func write(path: String, events: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write(
            "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n"
                + "METHOD:PUBLISH\r\nX-WR-CALNAME:Bench Owner\r\nX-WR-TIMEZONE:Europe/Berlin\r\n")
        for zone in zones { try writer.write(timezone(zone.name, offsetMinutes: zone.offsetMinutes)) }
        var written = 0
        var start = 1_546_329_600  // 1 January 2019, 08:00 UTC
        while written < events {
            start += 900 * (1 + random.below(16))
            let uid = "\(String(random.next(), radix: 36))\(written)@google.com"
            let recurring = random.chance(15)
            let timing = Timing(kind: random.below(100), zone: random.pick(zones))
            try writer.write(
                event(uid: uid, start: start, timing, recurring: recurring, movedFrom: nil, corpus: corpus, &random))
            written += 1
            if recurring, written < events, random.chance(20) {
                // One occurrence moved by an hour: its own VEVENT with the same UID.
                let occurrence = start + 7 * 86_400 * (1 + random.below(4))
                try writer.write(
                    event(
                        uid: uid, start: occurrence + 3600, timing, recurring: false, movedFrom: occurrence,
                        corpus: corpus, &random))
                written += 1
            }
        }
        try writer.write("END:VCALENDAR\r\n")
        try writer.close()
        return writer.bytesWritten
    }

    /// How an event's times are written: `kind` below 10 all-day, below 35 UTC, else local time in `zone`. A
    /// moved occurrence is written like the event it moves, as RECURRENCE-ID must match DTSTART's form.
    private struct Timing {
        var kind: Int
        var zone: (name: String, offsetMinutes: Int)
    }

    private static func event(
        uid: String, start: Int, _ timing: Timing, recurring: Bool, movedFrom: Int?, corpus: ImportBenchmarkCorpus,
        _ random: inout SplitMix64
    ) -> String {
        let kind = timing.kind
        let zone = timing.zone
        let length = 1800 * (1 + random.below(4))
        func stamp(_ seconds: Int) -> String {
            switch kind {
            case 0..<10: return ";VALUE=DATE:" + BenchmarkDate.ical(seconds, dateOnly: true)
            case 10..<35: return ":" + BenchmarkDate.ical(seconds) + "Z"
            default: return ";TZID=\(zone.name):" + BenchmarkDate.ical(seconds + zone.offsetMinutes * 60)
            }
        }
        var lines = ["BEGIN:VEVENT"]
        lines.append("DTSTART" + stamp(start))
        lines.append("DTEND" + stamp(kind < 10 ? start + 86_400 : start + length))
        if recurring {
            switch random.below(3) {
            case 0:
                lines.append(
                    "RRULE:FREQ=WEEKLY;COUNT=\(5 + random.below(48));BYDAY=\(random.pick(["MO", "TU", "WE,FR", "TH"]))")
            case 1: lines.append("RRULE:FREQ=WEEKLY;UNTIL=\(BenchmarkDate.ical(start + 86_400 * 200))Z;INTERVAL=2")
            default: lines.append("RRULE:FREQ=MONTHLY;COUNT=\(3 + random.below(20))")
            }
            if random.chance(25) { lines.append("EXDATE" + stamp(start + 14 * 86_400)) }
        }
        if let movedFrom { lines.append("RECURRENCE-ID" + stamp(movedFrom)) }
        lines.append("DTSTAMP:" + BenchmarkDate.ical(start - 86_400) + "Z")
        let organizer = random.pick(corpus.people)
        let organizerIsOwner = random.chance(30)
        lines.append(
            organizerIsOwner
                ? "ORGANIZER;CN=Bench Owner:mailto:\(ImportBenchmarkMbox.ownerAddress)"
                : "ORGANIZER;CN=\(commonName(organizer, &random)):\(random.chance(80) ? "mailto" : "MAILTO"):\(organizer.address)"
        )
        lines.append("UID:\(uid)")
        let states = ["ACCEPTED", "ACCEPTED", "ACCEPTED", "TENTATIVE", "NEEDS-ACTION", "DECLINED"]
        var attendees = [
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Bench Owner;X-NUM-GUESTS=0:mailto:\(ImportBenchmarkMbox.ownerAddress)"
        ]
        for _ in 0..<random.below(8) {
            let person = random.pick(corpus.people)
            attendees.append(
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=\(random.chance(80) ? "REQ" : "OPT")-PARTICIPANT;PARTSTAT=\(random.pick(states));"
                    + "CN=\(commonName(person, &random));X-NUM-GUESTS=0:mailto:\(person.address)")
        }
        if random.chance(5) {
            attendees.append(
                "ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;CN=\"Berlin-4-Conference Room 4B (8)\":mailto:"
                    + "c_188\(random.below(1_000_000))@resource.calendar.google.com")
        }
        lines += attendees
        lines.append("CREATED:" + BenchmarkDate.ical(start - 2 * 86_400) + "Z")
        let description = (0..<random.below(4)).map { _ in random.pick(corpus.lines) }.joined(separator: "\n")
        if !description.isEmpty { lines.append("DESCRIPTION:" + BenchmarkEncoding.escaped(description)) }
        lines.append("LAST-MODIFIED:" + BenchmarkDate.ical(start - 86_400) + "Z")
        lines.append(
            "LOCATION:"
                + BenchmarkEncoding.escaped(
                    random.pick([
                        "", "Room 4B, 2nd floor", "https://meet.google.com/abc-defg-hij", "Café Einstein, Berlin",
                    ])))
        lines.append("SEQUENCE:\(random.below(3))")
        lines.append("STATUS:\(random.chance(3) ? "CANCELLED" : "CONFIRMED")")
        lines.append("SUMMARY:" + BenchmarkEncoding.escaped(random.pick(corpus.subjects)))
        lines.append("TRANSP:OPAQUE")
        lines.append("END:VEVENT")
        return lines.map(BenchmarkEncoding.folded).joined()
    }

    /// Google leaves a CN bare; Outlook quotes it, and must when it holds a comma.
    private static func commonName(_ person: ImportBenchmarkCorpus.Person, _ random: inout SplitMix64) -> String {
        random.chance(20)
            ? "\"\(person.last), \(person.first)\"" : random.chance(30) ? "\"\(person.name)\"" : person.name
    }

    /// A zone with a daylight-saving rule (none for Tokyo), as exporters write them.
    private static func timezone(_ name: String, offsetMinutes: Int) -> String {
        func offset(_ minutes: Int) -> String {
            (minutes < 0 ? "-" : "+") + BenchmarkDate.pad(abs(minutes) / 60) + BenchmarkDate.pad(abs(minutes) % 60)
        }
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(name)"]
        if name.contains("/") { lines.append("X-LIC-LOCATION:\(name)") }
        if name == "Asia/Tokyo" {
            lines += [
                "BEGIN:STANDARD", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "TZNAME:JST", "DTSTART:19700101T000000",
                "END:STANDARD",
            ]
        } else {
            let american = name.hasPrefix("America/")
            lines += [
                "BEGIN:DAYLIGHT", "TZOFFSETFROM:\(offset(offsetMinutes))", "TZOFFSETTO:\(offset(offsetMinutes + 60))",
                american ? "DTSTART:19700308T020000" : "DTSTART:19700329T020000",
                american ? "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" : "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "END:DAYLIGHT",
                "BEGIN:STANDARD", "TZOFFSETFROM:\(offset(offsetMinutes + 60))", "TZOFFSETTO:\(offset(offsetMinutes))",
                american ? "DTSTART:19701101T020000" : "DTSTART:19701025T030000",
                american ? "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" : "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "END:STANDARD",
            ]
        }
        lines.append("END:VTIMEZONE")
        return lines.map(BenchmarkEncoding.folded).joined()
    }
}
