import Foundation
import LoamKit
import Testing

/// The examples of RFC 5545 §3.8.5.3, each with the instances the RFC lists (DTSTART in America/New_York). Rules
/// that run "forever" are compared on their first instances, cut by `limit`.
@Suite("Recurrence: RFC 5545 §3.8.5.3 examples")
struct RecurrenceRFCExampleTests {
    typealias F = RecurrenceFixture

    @Test("Daily for 10 occurrences")
    func dailyCount() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=DAILY;COUNT=10"])
                == F.nineAM(
                    "19970902", "19970903", "19970904", "19970905", "19970906", "19970907", "19970908", "19970909",
                    "19970910", "19970911"))
    }

    @Test("Daily until December 24, 1997: 9:00 EDT, then 9:00 EST, the UTC bound excludes the 24th")
    func dailyUntil() throws {
        let starts = try F.expand("19970902T090000", ["FREQ=DAILY;UNTIL=19971224T000000Z"])
        #expect(starts.count == 113)
        #expect(starts.first == "19970902T090000")
        #expect(starts.last == "19971223T090000")
        #expect(starts.allSatisfy { $0.hasSuffix("T090000") })
    }

    @Test("Every other day, and every 10 days for 5 occurrences")
    func dailyInterval() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=DAILY;INTERVAL=2"], limit: 5)
                == F.nineAM(
                    "19970902", "19970904", "19970906", "19970908", "19970910"))
        #expect(
            try F.expand("19970902T090000", ["FREQ=DAILY;INTERVAL=10;COUNT=5"])
                == F.nineAM(
                    "19970902", "19970912", "19970922", "19971002", "19971012"))
    }

    @Test("Every day in January, for 3 years: the YEARLY and the DAILY spelling agree")
    func everyDayInJanuary() throws {
        let yearly = try F.expand(
            "19980101T090000", ["FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA"])
        let daily = try F.expand("19980101T090000", ["FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1"])
        let expected = ["1998", "1999", "2000"].flatMap { year in
            (1...31).map { String(format: "\(year)01%02dT090000", $0) }
        }
        #expect(yearly == expected)
        #expect(daily == expected)
    }

    @Test("Weekly for 10 occurrences, across the end of daylight saving")
    func weeklyCount() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=WEEKLY;COUNT=10"])
                == F.nineAM(
                    "19970902", "19970909", "19970916", "19970923", "19970930", "19971007", "19971014", "19971021",
                    "19971028", "19971104"))
    }

    @Test("Weekly until December 24, 1997")
    func weeklyUntil() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=WEEKLY;UNTIL=19971224T000000Z"])
                == F.nineAM(
                    "19970902", "19970909", "19970916", "19970923", "19970930", "19971007", "19971014", "19971021",
                    "19971028",
                    "19971104", "19971111", "19971118", "19971125", "19971202", "19971209", "19971216", "19971223"))
    }

    @Test("Every other week, forever")
    func everyOtherWeek() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=WEEKLY;INTERVAL=2;WKST=SU"], limit: 13)
                == F.nineAM(
                    "19970902", "19970916", "19970930", "19971014", "19971028", "19971111", "19971125", "19971209",
                    "19971223",
                    "19980106", "19980120", "19980203", "19980217"))
    }

    @Test("Weekly on Tuesday and Thursday for five weeks: the UNTIL and the COUNT spelling agree")
    func tuesdayThursday() throws {
        let expected = F.nineAM(
            "19970902", "19970904", "19970909", "19970911", "19970916", "19970918", "19970923", "19970925", "19970930",
            "19971002")
        #expect(try F.expand("19970902T090000", ["FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH"]) == expected)
        #expect(try F.expand("19970902T090000", ["FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH"]) == expected)
    }

    @Test("Every other week on Monday, Wednesday and Friday until December 24, 1997")
    func everyOtherWeekMWF() throws {
        #expect(
            try F.expand("19970901T090000", ["FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR"])
                == F.nineAM(
                    "19970901", "19970903", "19970905", "19970915", "19970917", "19970919", "19970929", "19971001",
                    "19971003",
                    "19971013", "19971015", "19971017", "19971027", "19971029", "19971031", "19971110", "19971112",
                    "19971114",
                    "19971124", "19971126", "19971128", "19971208", "19971210", "19971212", "19971222"))
    }

    @Test("Every other week on Tuesday and Thursday, for 8 occurrences")
    func everyOtherWeekTT() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH"])
                == F.nineAM(
                    "19970902", "19970904", "19970916", "19970918", "19970930", "19971002", "19971014", "19971016"))
    }

    @Test("Monthly on the first Friday, for 10 occurrences and until December 24, 1997")
    func firstFriday() throws {
        #expect(
            try F.expand("19970905T090000", ["FREQ=MONTHLY;COUNT=10;BYDAY=1FR"])
                == F.nineAM(
                    "19970905", "19971003", "19971107", "19971205", "19980102", "19980206", "19980306", "19980403",
                    "19980501", "19980605"))
        #expect(
            try F.expand("19970905T090000", ["FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR"])
                == F.nineAM(
                    "19970905", "19971003", "19971107", "19971205"))
    }

    @Test("Every other month on the first and last Sunday, for 10 occurrences")
    func firstAndLastSunday() throws {
        #expect(
            try F.expand("19970907T090000", ["FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU"])
                == F.nineAM(
                    "19970907", "19970928", "19971102", "19971130", "19980104", "19980125", "19980301", "19980329",
                    "19980503", "19980531"))
    }

    @Test("Monthly on the second-to-last Monday, for 6 months")
    func secondToLastMonday() throws {
        #expect(
            try F.expand("19970922T090000", ["FREQ=MONTHLY;COUNT=6;BYDAY=-2MO"])
                == F.nineAM(
                    "19970922", "19971020", "19971117", "19971222", "19980119", "19980216"))
    }

    @Test("Monthly on the third-to-the-last day of the month, forever")
    func thirdToLastDay() throws {
        #expect(
            try F.expand("19970928T090000", ["FREQ=MONTHLY;BYMONTHDAY=-3"], limit: 6)
                == F.nineAM(
                    "19970928", "19971029", "19971128", "19971229", "19980129", "19980226"))
    }

    @Test("Monthly on the 2nd and 15th, and on the first and last day, for 10 occurrences")
    func monthDays() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15"])
                == F.nineAM(
                    "19970902", "19970915", "19971002", "19971015", "19971102", "19971115", "19971202", "19971215",
                    "19980102", "19980115"))
        #expect(
            try F.expand("19970930T090000", ["FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1"])
                == F.nineAM(
                    "19970930", "19971001", "19971031", "19971101", "19971130", "19971201", "19971231", "19980101",
                    "19980131", "19980201"))
    }

    @Test("Every 18 months on the 10th thru 15th, for 10 occurrences")
    func every18Months() throws {
        #expect(
            try F.expand("19970910T090000", ["FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15"])
                == F.nineAM(
                    "19970910", "19970911", "19970912", "19970913", "19970914", "19970915", "19990310", "19990311",
                    "19990312", "19990313"))
    }

    @Test("Every Tuesday, every other month")
    func tuesdaysEveryOtherMonth() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=MONTHLY;INTERVAL=2;BYDAY=TU"], limit: 18)
                == F.nineAM(
                    "19970902", "19970909", "19970916", "19970923", "19970930", "19971104", "19971111", "19971118",
                    "19971125",
                    "19980106", "19980113", "19980120", "19980127", "19980303", "19980310", "19980317", "19980324",
                    "19980331"))
    }

    @Test("Yearly in June and July, for 10 occurrences")
    func juneAndJuly() throws {
        #expect(
            try F.expand("19970610T090000", ["FREQ=YEARLY;COUNT=10;BYMONTH=6,7"])
                == F.nineAM(
                    "19970610", "19970710", "19980610", "19980710", "19990610", "19990710", "20000610", "20000710",
                    "20010610", "20010710"))
    }

    @Test("Every other year on January, February and March, for 10 occurrences")
    func everyOtherYearQ1() throws {
        #expect(
            try F.expand("19970310T090000", ["FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3"])
                == F.nineAM(
                    "19970310", "19990110", "19990210", "19990310", "20010110", "20010210", "20010310", "20030110",
                    "20030210", "20030310"))
    }

    @Test("Every third year on the 1st, 100th and 200th day, for 10 occurrences")
    func yearDays() throws {
        #expect(
            try F.expand("19970101T090000", ["FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200"])
                == F.nineAM(
                    "19970101", "19970410", "19970719", "20000101", "20000409", "20000718", "20030101", "20030410",
                    "20030719", "20060101"))
    }

    @Test("Every 20th Monday of the year, and Monday of week number 20, forever")
    func twentiethMonday() throws {
        #expect(
            try F.expand("19970519T090000", ["FREQ=YEARLY;BYDAY=20MO"], limit: 3)
                == F.nineAM("19970519", "19980518", "19990517"))
        #expect(
            try F.expand("19970512T090000", ["FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"], limit: 3)
                == F.nineAM("19970512", "19980511", "19990517"))
    }

    @Test("Every Thursday in March, forever")
    func thursdaysInMarch() throws {
        #expect(
            try F.expand("19970313T090000", ["FREQ=YEARLY;BYMONTH=3;BYDAY=TH"], limit: 11)
                == F.nineAM(
                    "19970313", "19970320", "19970327", "19980305", "19980312", "19980319", "19980326", "19990304",
                    "19990311", "19990318", "19990325"))
    }

    @Test("Every Thursday, but only during June, July and August, forever")
    func summerThursdays() throws {
        #expect(
            try F.expand("19970605T090000", ["FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8"], limit: 39)
                == F.nineAM(
                    "19970605", "19970612", "19970619", "19970626", "19970703", "19970710", "19970717", "19970724",
                    "19970731",
                    "19970807", "19970814", "19970821", "19970828",
                    "19980604", "19980611", "19980618", "19980625", "19980702", "19980709", "19980716", "19980723",
                    "19980730",
                    "19980806", "19980813", "19980820", "19980827",
                    "19990603", "19990610", "19990617", "19990624", "19990701", "19990708", "19990715", "19990722",
                    "19990729",
                    "19990805", "19990812", "19990819", "19990826"))
    }

    @Test("Every Friday the 13th, forever, with DTSTART excluded by EXDATE")
    func fridayThe13th() throws {
        let exdate = F.value("19970902T090000")
        #expect(
            try F.expand("19970902T090000", ["FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"], exdates: [exdate], limit: 5)
                == F.nineAM(
                    "19980213", "19980313", "19981113", "19990813", "20001013"))
    }

    @Test("The first Saturday that follows the first Sunday of the month, forever")
    func saturdayAfterFirstSunday() throws {
        #expect(
            try F.expand("19970913T090000", ["FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13"], limit: 10)
                == F.nineAM(
                    "19970913", "19971011", "19971108", "19971213", "19980110", "19980207", "19980307", "19980411",
                    "19980509", "19980613"))
    }

    @Test("Every 4 years, the first Tuesday after a Monday in November (U.S. Presidential Election day)")
    func electionDay() throws {
        #expect(
            try F.expand(
                "19961105T090000", ["FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8"], limit: 3)
                == F.nineAM(
                    "19961105", "20001107", "20041102"))
    }

    @Test("BYSETPOS: the third of Tuesday, Wednesday or Thursday for 3 months; the second-to-last weekday of the month")
    func setPositions() throws {
        #expect(
            try F.expand("19970904T090000", ["FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3"])
                == F.nineAM(
                    "19970904", "19971007", "19971106"))
        #expect(
            try F.expand("19970929T090000", ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2"], limit: 7)
                == F.nineAM(
                    "19970929", "19971030", "19971127", "19971230", "19980129", "19980226", "19980330"))
    }

    /// The RFC lists 15:00 too, but its UNTIL (17:00 UTC) is 13:00 EDT; python-dateutil also stops at 12:00.
    @Test("Every 3 hours from 9:00 AM on a specific day, bounded by a UTC UNTIL")
    func everyThreeHours() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z"]) == [
                "19970902T090000", "19970902T120000",
            ])
        #expect(
            try F.expand("19970902T090000", ["FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z"]) == [
                "19970902T090000", "19970902T120000", "19970902T150000",
            ])
    }

    @Test("Every 15 minutes for 6 occurrences; every hour and a half for 4 occurrences")
    func minutely() throws {
        #expect(
            try F.expand("19970902T090000", ["FREQ=MINUTELY;INTERVAL=15;COUNT=6"]) == [
                "19970902T090000", "19970902T091500", "19970902T093000", "19970902T094500", "19970902T100000",
                "19970902T101500",
            ])
        #expect(
            try F.expand("19970902T090000", ["FREQ=MINUTELY;INTERVAL=90;COUNT=4"]) == [
                "19970902T090000", "19970902T103000", "19970902T120000", "19970902T133000",
            ])
    }

    @Test("Every 20 minutes from 9:00 AM to 4:40 PM every day: the DAILY and the MINUTELY spelling agree")
    func everyTwentyMinutes() throws {
        let daily = try F.expand(
            "19970902T090000", ["FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40"], limit: 25)
        let minutely = try F.expand(
            "19970902T090000", ["FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16"], limit: 25)
        let firstDay = (9...16).flatMap { hour in [0, 20, 40].map { String(format: "19970902T%02d%02d00", hour, $0) } }
        #expect(daily == firstDay + ["19970903T090000"])
        #expect(minutely == daily)
    }

    @Test("WKST changes which days fall in an INTERVAL=2 week")
    func weekStart() throws {
        #expect(
            try F.expand("19970805T090000", ["FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"])
                == F.nineAM(
                    "19970805", "19970810", "19970819", "19970824"))
        #expect(
            try F.expand("19970805T090000", ["FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"])
                == F.nineAM(
                    "19970805", "19970817", "19970819", "19970831"))
    }

    @Test("An invalid date (February 30) is skipped, not rolled over")
    func invalidDateSkipped() throws {
        #expect(
            try F.expand("20070115T090000", ["FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5"])
                == F.nineAM(
                    "20070115", "20070130", "20070215", "20070315", "20070330"))
    }
}
