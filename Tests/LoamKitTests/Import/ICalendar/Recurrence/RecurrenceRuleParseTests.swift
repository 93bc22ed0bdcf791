import LoamKit
import Testing

@Suite("Recurrence: reading RRULE values")
struct RecurrenceRuleParseTests {
    @Test("Every part is read: ordinals with a sign, negative month days, WKST, a UTC UNTIL")
    func fullRule() throws {
        let rule = try RecurrenceRule.parse(
            "FREQ=YEARLY;INTERVAL=2;UNTIL=20261231T000000Z;BYMONTH=1,3;BYDAY=+1MO,-1FR,SU;BYMONTHDAY=-1,15;BYYEARDAY=-366,100;BYWEEKNO=-53,20;BYHOUR=9;BYMINUTE=30;BYSECOND=0;BYSETPOS=-1;WKST=SU"
        )
        #expect(rule.frequency == .yearly)
        #expect(rule.interval == 2)
        #expect(rule.until == ICalDateTime(year: 2026, month: 12, day: 31, zone: .utc))
        #expect(rule.byMonth == [1, 3])
        #expect(Set(rule.byDay) == [.init(.monday, ordinal: 1), .init(.friday, ordinal: -1), .init(.sunday)])
        #expect(rule.byMonthDay == [-1, 15])
        #expect(rule.byYearDay == [-366, 100])
        #expect(rule.byWeekNo == [-53, 20])
        #expect((rule.byHour, rule.byMinute, rule.bySecond) == ([9], [30], [0]))
        #expect(rule.bySetPos == [-1])
        #expect(rule.weekStart == .sunday)
        #expect(rule.count == nil)
    }

    @Test(
        "Exporters' sloppiness is tolerated: lower case, spaces, an RRULE: prefix, a trailing semicolon, X- parts, COUNT with UNTIL"
    )
    func lenient() throws {
        let rule = try RecurrenceRule.parse(
            " rrule:freq=weekly; byday=mo,we ;count=5;X-NAME=1;UNTIL=20261231;RSCALE=GREGORIAN;SKIP=OMIT; ")
        #expect(rule.frequency == .weekly)
        #expect(rule.byDay == [.init(.monday), .init(.wednesday)])
        #expect(rule.count == 5)
        #expect(rule.until == ICalDateTime(year: 2026, month: 12, day: 31, isDateOnly: true))
    }

    @Test(
        "A malformed rule throws an error that names what is wrong",
        arguments: [
            ("", "no FREQ"),
            ("BYDAY=MO", "no FREQ"),
            ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY"),
            ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0"),
            ("FREQ=DAILY;INTERVAL=x", "INTERVAL=X"),
            ("FREQ=DAILY;COUNT=-1", "COUNT=-1"),
            ("FREQ=DAILY;COUNT=99999999999999999999", "COUNT="),
            ("FREQ=DAILY;COUNT=0", "COUNT=0"),
            ("FREQ=DAILY;UNTIL=2026", "UNTIL=2026"),
            ("FREQ=DAILY;UNTIL=20260230", "UNTIL=20260230"),
            ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX"),
            ("FREQ=YEARLY;BYDAY=54MO", "BYDAY=54MO"),
            ("FREQ=YEARLY;BYDAY=0MO", "BYDAY=0MO"),
            ("FREQ=WEEKLY;BYDAY=MO,", "BYDAY=MO,"),
            ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
            ("FREQ=YEARLY;BYMONTH=-1", "BYMONTH=-1"),
            ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32"),
            ("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY=367"),
            ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO=54"),
            ("FREQ=DAILY;BYHOUR=24", "BYHOUR=24"),
            ("FREQ=DAILY;BYMINUTE=60", "BYMINUTE=60"),
            ("FREQ=DAILY;BYSECOND=61", "BYSECOND=61"),
            ("FREQ=MONTHLY;BYSETPOS=0", "BYSETPOS=0"),
            ("FREQ=WEEKLY;WKST=XX", "WKST=XX"),
            ("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given more than once"),
            ("FREQ=DAILY;BYHOUR", "\"BYHOUR\""),
            ("FREQ=DAILY;FOO=1", "FOO"),
            ("FREQ=DAILY;RSCALE=HEBREW", "RSCALE=HEBREW"),
            ("FREQ=MONTHLY;SKIP=FORWARD", "SKIP=FORWARD"),
        ])
    func malformed(text: String, mentions: String) {
        #expect {
            _ = try RecurrenceRule.parse(text)
        } throws: { error in
            guard let error = error as? RecurrenceRuleError else { return false }
            return error.description.contains(mentions)
        }
    }
}
