import Foundation
import LoamKit
import Testing

/// Loam's import readers beside the Python peers on every fixture (issue #9 point 7): neither parser is trusted
/// alone. Each test prints an agreement report and fails on a disagreement that the list below it does not
/// explain, or on an entry of the list that no longer happens. Needs `LOAM_PEERS_PYTHON` (scripts/test sets it
/// from scripts/python_peers.sh); without it the tests are skipped, visibly.
///
///     LOAM_PEERS_PYTHON=$(bash scripts/python_peers.sh) swift test --filter PeerAgreement
@Suite("Agreement with the Python peers")
struct PeerAgreementTests {
    @Test(
        "scripts/test provides the Python peers",
        .enabled(if: ProcessInfo.processInfo.environment["LOAM_TEST_REQUIRE_PEERS"] == "1"))
    func peersPresent() {
        #expect(PeerParse.python != nil, "LOAM_PEERS_PYTHON is not set: scripts/test sources scripts/python_peers.sh")
    }

    // MARK: - mbox

    /// Where Loam's MboxReader and `email.parser.BytesHeaderParser` over `mailbox.mbox` differ, and who is right.
    static let knownMboxDisagreements = [
        KnownDisagreement(
            fixture: "thunderbird.mbox", record: "line 16", field: "record", right: .loam,
            why: """
                An unquoted "From here on…" in a body, after a text line, not after a blank line. mbox writers end \
                each message with a blank line before the next From line (RFC 4155 §2 and appendix A), so Loam \
                reads it as body; mailbox.mbox starts a message at any line beginning "From " and makes a \
                headerless message out of body text.
                """)
    ]

    struct PeerMessage: Decodable {
        var line: Int
        var from: [PeerAddress]
        var to: [PeerAddress]
        var cc: [PeerAddress]
        var bcc: [PeerAddress]
        var replyTo: [PeerAddress]
        var sender: [PeerAddress]
        var messageId: String?
    }

    struct PeerAddress: Decodable {
        var name: String?
        var address: String
    }

    @Test(
        "mbox: the addresses and names of every address header",
        .enabled(if: PeerParse.python != nil, "LOAM_PEERS_PYTHON is not set"))
    func mbox() throws {
        let files = try PeerParse.fixtures("mbox", suffix: "mbox")
        let peer = try PeerParse.run("mbox", files, as: PeerMessage.self)
        var report = PeerAgreementReport(format: "mbox", peer: peer.peer)
        for path in files {
            let fixture = URL(fileURLWithPath: path).lastPathComponent
            report.fixtures += 1
            var loam: [Int: MboxItem] = [:]
            let reader = try MboxReader(path: path)
            while let item = try reader.next() {
                switch item {
                case .message(let headers): loam[headers.line] = item
                case .skipped(let line, _): loam[line] = item
                }
            }
            let answer = try #require(peer.file(path))
            if let error = answer.error {
                report.compare(
                    fixture, "file", "read", loam: "reads \(loam.count) record(s) to the end",
                    peer: "stops after \(answer.records.count): \(error)")
            } else {
                report.fixturesReadByBoth += 1
            }
            let python = Dictionary(answer.records.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
            // When the peer gave up on the file, the messages it read are compared and the rest is that one "read".
            let lines = answer.error == nil ? Set(loam.keys).union(python.keys) : Set(python.keys)
            for line in lines.sorted() {
                report.records += 1
                let record = "line \(line)"
                switch (loam[line], python[line]) {
                case (.message(let headers)?, let message?):
                    let fields: [(String, [MailboxAddress], [PeerAddress])] = [
                        ("From", headers.from, message.from), ("To", headers.to, message.to),
                        ("Cc", headers.cc, message.cc), ("Bcc", headers.bcc, message.bcc),
                        ("Reply-To", headers.replyTo, message.replyTo), ("Sender", headers.sender, message.sender),
                    ]
                    for (field, ours, theirs) in fields {
                        report.compare(
                            fixture, record, "\(field) addresses", loam: .peerList(ours.map(\.address)),
                            peer: .peerList(theirs.map(\.address)))
                        report.compare(
                            fixture, record, "\(field) names", loam: .peerList(ours.map(\.name)),
                            peer: .peerList(theirs.map(\.name)))
                    }
                    report.compare(
                        fixture, record, "Message-ID", loam: .peerValue(headers.messageID),
                        peer: .peerValue(message.messageId))
                case (.skipped(_, let reason)?, _?):
                    report.compare(fixture, record, "record", loam: "skipped (\(reason))", peer: "a message")
                case (_?, nil):
                    report.compare(fixture, record, "record", loam: "a record", peer: "no message")
                case (nil, _?):
                    report.compare(fixture, record, "record", loam: "no message (body text)", peer: "a message")
                case (nil, nil):
                    break
                }
            }
        }
        report.check(against: Self.knownMboxDisagreements)
    }

    // MARK: - vCard

    /// Where Loam's VCardReader and vobject differ, and who is right.
    static let knownVCardDisagreements = [
        KnownDisagreement(
            fixture: "folding.vcf", record: "card 1", field: "FN", right: .loam,
            why: """
                The fold falls inside a UTF-8 sequence, which RFC 6350 §3.2 allows ("multi-octet characters" may \
                be split). Loam unfolds bytes before decoding; vobject reads text, so the file is not UTF-8 to \
                Python and every accented letter comes out as Windows-1252 mojibake.
                """),
        KnownDisagreement(
            fixture: "folding.vcf", record: "card 1", field: "N given", right: .loam, why: "The same split fold."),
        KnownDisagreement(
            fixture: "folding.vcf", record: "card 1", field: "N family", right: .loam, why: "The same split fold."),
        KnownDisagreement(
            fixture: "malformed.vcf", record: "file", field: "read", right: .loam,
            why: """
                A card with no END:VCARD before the next BEGIN:VCARD: vobject nests every later card inside it \
                and stops at the end of the file ("Component VCARD was never closed"), so the two good cards after \
                it are lost; Loam skips that one card with its line and reads on.
                """),
        KnownDisagreement(
            fixture: "truncated.vcf", record: "file", field: "read", right: .both,
            why: """
                A file cut in a card: both keep the two whole cards before the cut; vobject then raises where Loam \
                reports the cut card as skipped with its line. Only the way of saying it differs.
                """),
        KnownDisagreement(
            fixture: "outlook-21.vcf", record: "file", field: "read", right: .loam,
            why: """
                Outlook writes quoted-printable Windows-1252 without a CHARSET; vobject decodes every such QP value \
                as UTF-8 and raises UnicodeDecodeError, which ignoreUnreadable does not catch, so the file ends \
                there (a vobject bug: one value's charset costs the card and the rest of the file). Loam falls back \
                to Windows-1252 for that value.
                """),
        KnownDisagreement(
            fixture: "quoted-printable-21.vcf", record: "file", field: "read", right: .loam,
            why: """
                A quoted-printable soft line break whose next line is also folded (indented), between =C3= and \
                =A9: vobject drops the soft break but keeps the fold's space, so the value decodes to "\\xc3 \\xa9", \
                raises UnicodeDecodeError and ends the file (a vobject bug). Loam undoes soft breaks and folds on \
                bytes before decoding (vCard 2.1 §2.1.3), as Android's exports need.
                """),
        KnownDisagreement(
            fixture: "rfc6350-40.vcf", record: "card 1", field: "TEL", right: .both,
            why: """
                vCard 4.0 TEL is a URI (RFC 6350 §6.4.1, RFC 3966); vobject hands back the URI as written, Loam \
                takes the number out of it (drops "tel:"), which is what identity resolution compares.
                """),
        KnownDisagreement(
            fixture: "types-30-40.vcf", record: "card 2", field: "TEL", right: .both,
            why: "The same 4.0 tel: URI."),
    ]

    struct PeerCard: Decodable {
        var fn: String?
        var given: String?
        var family: String?
        var emails: [String]
        var phones: [String]
    }

    @Test(
        "vCard: names, emails and phone numbers of every card",
        .enabled(if: PeerParse.python != nil, "LOAM_PEERS_PYTHON is not set"))
    func vcard() throws {
        let files = try PeerParse.fixtures("vcard", suffix: "vcf")
        let peer = try PeerParse.run("vcard", files, as: PeerCard.self)
        var report = PeerAgreementReport(format: "vCard", peer: peer.peer)
        for path in files {
            let fixture = URL(fileURLWithPath: path).lastPathComponent
            report.fixtures += 1
            var loam: [VCardRecord] = []
            let reader = try VCardReader(path: path)
            while let item = try reader.next() {
                if case .card(let card) = item { loam.append(card) }
            }
            let answer = try #require(peer.file(path))
            let python = answer.records
            if let error = answer.error {
                report.compare(
                    fixture, "file", "read", loam: "reads \(loam.count) card(s) to the end",
                    peer: "stops after \(python.count): \(error)")
            } else {
                report.fixturesReadByBoth += 1
                report.compare(fixture, "file", "cards", loam: "\(loam.count)", peer: "\(python.count)")
            }
            // Cards pair by their place in the file: a name the two decode differently must not unpair them. When
            // the peer stops early, the cards it read before are still compared.
            for (index, (ours, theirs)) in zip(loam, python).enumerated() {
                report.records += 1
                let record = "card \(index + 1)"
                report.compare(fixture, record, "FN", loam: .peerValue(ours.formattedName), peer: .peerValue(theirs.fn))
                report.compare(
                    fixture, record, "N given", loam: .peerValue(ours.givenName), peer: .peerValue(theirs.given))
                report.compare(
                    fixture, record, "N family", loam: .peerValue(ours.familyName), peer: .peerValue(theirs.family))
                report.compare(
                    fixture, record, "EMAIL", loam: .peerList(ours.emails.map(\.value)), peer: .peerList(theirs.emails))
                report.compare(
                    fixture, record, "TEL", loam: .peerList(ours.phones.map(\.value)), peer: .peerList(theirs.phones))
            }
        }
        report.check(against: Self.knownVCardDisagreements)
    }

    // MARK: - iCalendar

    /// Where Loam's ICalendarReader and icalendar with recurring-ical-events differ, and who is right.
    static let knownICalendarDisagreements = [
        KnownDisagreement(
            fixture: "apple-calendar.ics", record: "UID 4F3E2D1C-7788-4A0B-9C1D-E2F3A4B5C6D7", field: "ORGANIZER",
            right: .loam,
            why: """
                iCloud writes a urn:uuid or a CalDAV principal path as the value and the address in the EMAIL \
                parameter (RFC 7986 §6.2); Loam takes EMAIL when the value is no address, icalendar hands back \
                the value, which is nobody's address.
                """),
        KnownDisagreement(
            fixture: "apple-calendar.ics", record: "UID 4F3E2D1C-7788-4A0B-9C1D-E2F3A4B5C6D7", field: "ATTENDEE",
            right: .loam, why: "The same EMAIL parameter on two attendees (a principal path and a urn:uuid)."),
        KnownDisagreement(
            fixture: "participants.ics", record: "UID participants-1@example.com", field: "ATTENDEE", right: .loam,
            why: """
                Outlook's placeholder "invalid:nomail" for a contact without an address is nobody (Loam drops \
                it), and the urn:uuid attendee has its address in EMAIL (RFC 7986 §6.2); icalendar gives both \
                values as written.
                """),
        KnownDisagreement(
            fixture: "outlook.ics", record: "UID AAMkAGQ0ZjBhZDk2LTk4ZmUtNDk5Yi1iYjc1LTIwMjYwMjExMTUwMAA=",
            field: "record", right: .loam,
            why: """
                Outlook.com writes TZID=tzone://Microsoft/Utc unquoted although it holds a colon (RFC 5545 §3.2 \
                wants it quoted); icalendar splits the property at that colon and cannot read DTSTART, Loam reads \
                the TZID as Outlook means it (UTC).
                """),
        KnownDisagreement(
            fixture: "unknown-tzid.ics", record: "UID display-name@example.com", field: "occurrences", right: .loam,
            why: """
                TZID="(UTC+01:00) Amsterdam, Berlin…", an Outlook display name no VTIMEZONE defines: Loam reads \
                the offset the name states; icalendar knows no such zone and reads the time as floating (here UTC).
                """),
        KnownDisagreement(
            fixture: "unknown-tzid.ics", record: "UID windows-case@example.com", field: "occurrences", right: .loam,
            why: """
                TZID=pacific standard time: Windows zone names are case-insensitive on Windows, where they come \
                from, so Loam maps it as it maps "Pacific Standard Time"; icalendar matches Windows names \
                case-sensitively and falls back to floating.
                """),
        KnownDisagreement(
            fixture: "unknown-tzid.ics", record: "UID z-wins@example.com", field: "occurrences", right: .loam,
            why: """
                DTSTART;TZID=America/New_York:20260109T090000Z: a TZID "MUST NOT be applied" to a UTC time (RFC \
                5545 §3.3.5), so the Z is what the writer meant and Loam reads 09:00 UTC; icalendar applies the \
                TZID to the wall-clock digits and gets 14:00 UTC.
                """),
        KnownDisagreement(
            fixture: "malformed.ics", record: "file", field: "read", right: .loam,
            why: """
                An event with no END:VEVENT, a line that is no property and pasted text between events: \
                icalendar's from_ical rejects the whole calendar; Loam skips the damaged event and the junk with \
                their lines and reads the three whole events.
                """),
        KnownDisagreement(
            fixture: "no-end-vcalendar.ics", record: "file", field: "read", right: .loam,
            why: """
                END:VCALENDAR missing, as calendars generated by scripts often are: icalendar rejects the file, \
                Loam reads its whole event.
                """),
        KnownDisagreement(
            fixture: "truncated.ics", record: "file", field: "read", right: .loam,
            why: """
                A file cut inside an event: icalendar rejects it all; Loam keeps the two whole events before the \
                cut and reports the cut one.
                """),
    ]

    /// The "now" of the iCalendar fixture tests: no occurrence after it is read, by either side.
    static let calendarNow = "2026-03-01T00:00:00Z"

    struct PeerSeries: Decodable {
        var uid: String?
        var events: [PeerEvent]
        var occurrences: [PeerOccurrence]
        var error: String?
    }

    struct PeerEvent: Decodable {
        var status: String?
        var organizer: PeerParticipant?
        var attendees: [PeerParticipant]
    }

    struct PeerParticipant: Decodable {
        var address: String
        var partstat: String?
        var cutype: String?
        var email: String?
    }

    struct PeerOccurrence: Decodable {
        var start: String
        var status: String?
    }

    /// Loam's rules of who is a person (ICalendarEventBuilder), applied to the peer's reading so that only the
    /// reading is compared: no room or resource, no address of a Google room or calendar.
    static func isPerson(_ participant: PeerParticipant) -> Bool {
        let domain = participant.address.split(separator: "@").last.map { $0.lowercased() } ?? ""
        return !["ROOM", "RESOURCE"].contains(participant.cutype?.uppercased() ?? "")
            && ![
                "resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com",
                "import.calendar.google.com",
            ].contains(domain)
    }

    /// Loam's rules of who took part, on the peer's attendees: people who did not decline, each address once.
    static func interactionAttendees(_ attendees: [PeerParticipant]) -> [String] {
        var seen: Set<String> = []
        return attendees.filter { attendee in
            guard attendee.partstat?.uppercased() != "DECLINED", isPerson(attendee) else { return false }
            return seen.insert(attendee.address.lowercased()).inserted
        }.map(\.address)
    }

    static func isCancelled(_ status: String?) -> Bool { status?.uppercased() == "CANCELLED" }

    @Test(
        "iCalendar: organizers, attendees and occurrences up to now of every series",
        .enabled(if: PeerParse.python != nil, "LOAM_PEERS_PYTHON is not set"))
    func icalendar() throws {
        let files = try PeerParse.fixtures("ics", suffix: "ics")
        let peer = try PeerParse.run("ics", files, arguments: ["--now", Self.calendarNow], as: PeerSeries.self)
        let now = try #require(ISO8601DateFormatter().date(from: Self.calendarNow))
        let instant = ISO8601DateFormatter()
        var report = PeerAgreementReport(format: "iCalendar", peer: peer.peer)
        for path in files {
            let fixture = URL(fileURLWithPath: path).lastPathComponent
            report.fixtures += 1
            // A series and its overrides share a UID and are one record; an event without a UID is one alone.
            var loam: [(key: String, events: [ICalendarEvent])] = []
            var withoutUID = 0
            let reader = try ICalendarReader(path: path, now: now)
            while let item = try reader.next() {
                guard case .event(let event) = item else { continue }
                if let uid = event.uid, let index = loam.firstIndex(where: { $0.key == "UID \(uid)" }) {
                    loam[index].events.append(event)
                } else {
                    withoutUID += event.uid == nil ? 1 : 0
                    loam.append((event.uid.map { "UID \($0)" } ?? "no UID #\(withoutUID)", [event]))
                }
            }
            let answer = try #require(peer.file(path))
            if let error = answer.error {
                report.compare(
                    fixture, "file", "read", loam: "reads \(loam.count) series to the end",
                    peer: "stops after \(answer.records.count): \(error)")
            } else {
                report.fixturesReadByBoth += 1
            }
            var python: [String: PeerSeries] = [:]
            // When the peer gave up on the file, the series it read are compared and the rest is that one "read".
            var order: [String] = answer.error == nil ? loam.map(\.key) : []
            withoutUID = 0
            for series in answer.records {
                if series.uid == nil { withoutUID += 1 }
                let key = series.uid.map { "UID \($0)" } ?? "no UID #\(withoutUID)"
                python[key] = series
                if !order.contains(key) { order.append(key) }
            }
            for key in order {
                report.records += 1
                let ours = loam.first { $0.key == key }?.events
                guard let theirs = python[key] else {
                    report.compare(fixture, key, "record", loam: "a series", peer: "none")
                    continue
                }
                if let error = theirs.error {
                    report.compare(fixture, key, "record", loam: ours == nil ? "none" : "a series", peer: error)
                    continue
                }
                // Cancelled events and occurrences are none of Loam's (`.ignored`): the peer's are set aside too.
                let events = theirs.events.filter { !Self.isCancelled($0.status) }
                guard let ours else {
                    let what = events.isEmpty ? "only cancelled events" : "\(events.count) events"
                    report.compare(fixture, key, "record", loam: events.isEmpty ? what : "none", peer: what)
                    continue
                }
                report.compare(fixture, key, "VEVENTs", loam: "\(ours.count)", peer: "\(events.count)")
                report.compare(
                    fixture, key, "ORGANIZER", loam: .peerList(ours.map { $0.organizer?.email }),
                    peer: .peerList(events.map { $0.organizer.flatMap { Self.isPerson($0) ? $0.address : nil } }))
                report.compare(
                    fixture, key, "ATTENDEE",
                    loam: ours.map { String.peerList($0.attendees.map(\.email)) }.joined(separator: " "),
                    peer: events.map { String.peerList(Self.interactionAttendees($0.attendees)) }
                        .joined(separator: " "))
                report.compare(
                    fixture, key, "occurrences",
                    loam: .peerList(ours.flatMap(\.occurrences).map { instant.string(from: $0.start) }.sorted()),
                    peer: .peerList(theirs.occurrences.filter { !Self.isCancelled($0.status) }.map(\.start)))
            }
        }
        report.check(against: Self.knownICalendarDisagreements)
    }
}
