import Foundation
import Testing

@testable import LoamKit

@Suite("iCalendar TZIDs: IANA, Windows (CLDR table), libical prefixes, VTIMEZONE offsets")
struct ICalendarTimeZoneTests {
    @Test("Every Windows name of the generated CLDR table resolves to a zone this system knows, in any capitals")
    func windowsTable() throws {
        #expect(WindowsTimeZones.ianaByWindowsName.count > 130)
        var zones = ICalTimeZones()
        for (windows, iana) in WindowsTimeZones.ianaByWindowsName {
            let zone = zones.zone(forTZID: windows)
            #expect(zone != nil, "\(windows) → \(iana)")
            #expect(zones.zone(forTZID: windows.uppercased())?.identifier == zone?.identifier)
        }
        #expect(zones.zone(forTZID: "W. Europe Standard Time")?.identifier == "Europe/Berlin")
        #expect(zones.zone(forTZID: "Pacific Standard Time")?.identifier == "America/Los_Angeles")
        #expect(zones.zone(forTZID: "\"Tokyo Standard Time\"")?.identifier == "Asia/Tokyo")
    }

    @Test("Vendor prefixes come off; bare legacy words and path tricks are not asked of the system")
    func prefixesAndRefusals() {
        var zones = ICalTimeZones()
        #expect(zones.zone(forTZID: "/mozilla.org/20050126_1/America/New_York")?.identifier == "America/New_York")
        #expect(
            zones.zone(forTZID: "/freeassociation.sourceforge.net/Tzfile/Europe/London")?.identifier == "Europe/London")
        #expect(
            zones.zone(forTZID: "/softwarestudio.org/Olson_20011030_5/America/Argentina/Buenos_Aires")?.identifier
                == "America/Argentina/Buenos_Aires")
        #expect(zones.zone(forTZID: "/citadel.org/20190914_1/Europe/Zurich")?.identifier == "Europe/Zurich")
        #expect(zones.zone(forTZID: "tzone://Microsoft/Utc") != nil)
        #expect(zones.zone(forTZID: "Europe/Berlin")?.identifier == "Europe/Berlin")
        for refused in [
            "CET", "EST", "../../etc/passwd", "/mozilla.org/", "Mars/Olympus_Mons", "",
            String(repeating: "A/", count: 80),
        ] {
            #expect(zones.zone(forTZID: refused) == nil, "\(refused)")
        }
    }

    @Test("A TZID only the file defines is its STANDARD offset; Outlook display names carry theirs")
    func offsets() {
        var zones = ICalTimeZones(definedOffsets: ["Customized Time Zone": 19_800])
        #expect(zones.zone(forTZID: "Customized Time Zone")?.secondsFromGMT() == 19_800)
        #expect(zones.zone(forTZID: "(UTC-03:30) Newfoundland")?.secondsFromGMT() == -12_600)
        #expect(zones.zone(forTZID: "(GMT+05.45) Kathmandu")?.secondsFromGMT() == 20_700)
        #expect(zones.zone(forTZID: "(UTC) Coordinated Universal Time")?.secondsFromGMT() == 0)
        #expect(ICalTimeZones.parseOffset("+0100") == 3600)
        #expect(ICalTimeZones.parseOffset("-053000") == -19_800)
        for bad in ["0100", "+01", "+2500", "+01:00", "", "-0160"] {
            #expect(ICalTimeZones.parseOffset(bad) == nil, "\(bad)")
        }
    }
}
