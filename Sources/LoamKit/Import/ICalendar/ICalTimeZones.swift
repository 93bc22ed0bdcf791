import Foundation

/// Turns a TZID as exporters write it into a zone. Calendars rarely write plain IANA names: Outlook and Exchange
/// write Windows names ("W. Europe Standard Time", "tzone://Microsoft/Utc"), Thunderbird and libical prefix the
/// IANA name with their own path ("/mozilla.org/20050126_1/America/New_York"), and some write a name only their
/// own VTIMEZONE defines ("Customized Time Zone"). In that order of trust:
/// 1. an IANA name, bare or after a vendor prefix;
/// 2. a Windows name, through CLDR's table (`WindowsTimeZones`);
/// 3. the file's own VTIMEZONE with that TZID, as the fixed offset of its STANDARD part (its rules are not
///    followed, so such times may be an hour off in summer);
/// 4. an offset in the name itself, as Outlook's display names have ("(UTC+01:00) Amsterdam, Berlin…");
/// 5. nothing: the caller reads the time as floating.
struct ICalTimeZones {
    /// TZID → seconds east of UTC, from the file's VTIMEZONE blocks.
    var definedOffsets: [String: Int]
    private var cache: [String: TimeZone?] = [:]
    private static let maximumCached = 1000

    init(definedOffsets: [String: Int] = [:]) {
        self.definedOffsets = definedOffsets
    }

    mutating func zone(forTZID tzid: String) -> TimeZone? {
        if let cached = cache[tzid] { return cached }
        let zone = resolve(tzid)
        if cache.count < Self.maximumCached { cache[tzid] = zone }
        return zone
    }

    private func resolve(_ raw: String) -> TimeZone? {
        let tzid = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" \t"))
        if let zone = Self.named(tzid) { return zone }
        if let offset = definedOffsets[raw] ?? definedOffsets[tzid] { return TimeZone(secondsFromGMT: offset) }
        if let offset = Self.offsetInDisplayName(tzid) { return TimeZone(secondsFromGMT: offset) }
        return nil
    }

    /// An IANA or Windows name, with any vendor prefix taken off; nil when it is neither.
    static func named(_ tzid: String) -> TimeZone? {
        if let zone = iana(tzid) { return zone }
        if let windows = windows(tzid) { return windows }
        let lowered = tzid.lowercased()
        if lowered.hasPrefix("tzone://microsoft/") {
            // Outlook.com and Exchange Online: "tzone://Microsoft/Utc", "tzone://Microsoft/Custom".
            let rest = String(tzid.dropFirst("tzone://microsoft/".count))
            return iana(rest) ?? windows(rest)
        }
        if tzid.hasPrefix("/") {
            // "/mozilla.org/20050126_1/America/New_York", "/freeassociation.sourceforge.net/Tzfile/Europe/London",
            // "/softwarestudio.org/Olson_20011030_5/America/Chicago": the IANA name is what follows the vendor's
            // path, so try the shortest vendor path first that leaves a real zone.
            let parts = tzid.split(separator: "/")
            for start in 1..<max(parts.count, 1) {
                if let zone = iana(parts[start...].joined(separator: "/")) { return zone }
            }
        }
        return nil
    }

    private static func iana(_ name: String) -> TimeZone? {
        // Only what an IANA name can be: TimeZone(identifier:) is not asked about arbitrary text.
        guard !name.isEmpty, name.count <= 64, !name.contains(".."), name.first != "/",
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) })
        else { return nil }
        guard name.contains("/") || ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(name) else {
            // Bare words ("EST", "CET") are legacy aliases whose meaning differs between systems.
            return nil
        }
        return TimeZone(identifier: name)
    }

    private static let windowsByLowercasedName: [String: String] = Dictionary(
        WindowsTimeZones.ianaByWindowsName.map { ($0.key.lowercased(), $0.value) },
        uniquingKeysWith: { first, _ in first })

    private static func windows(_ name: String) -> TimeZone? {
        guard let iana = windowsByLowercasedName[name.lowercased()] else { return nil }
        return TimeZone(identifier: iana)
    }

    /// "(UTC+01:00) Amsterdam, Berlin…", "(GMT-05.00) Eastern Time": the offset at the start, in seconds.
    static func offsetInDisplayName(_ name: String) -> Int? {
        let upper = name.uppercased()
        guard upper.hasPrefix("(UTC") || upper.hasPrefix("(GMT") else { return nil }
        let rest = upper.dropFirst(4)
        if rest.hasPrefix(")") { return 0 }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        let digits = rest.dropFirst().prefix(while: { $0.isNumber || $0 == ":" || $0 == "." })
        let fields = digits.split(whereSeparator: { $0 == ":" || $0 == "." })
        guard let hours = fields.first.flatMap({ Int($0) }), hours <= 14 else { return nil }
        let minutes = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
        guard minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// A UTC offset as TZOFFSETTO writes it: "+0100", "-0500", "+053000"; nil for anything else.
    static func parseOffset(_ text: String) -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst()
        guard digits.count == 4 || digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        let values = Array(digits).map { Int(String($0))! }
        let hours = values[0] * 10 + values[1]
        let minutes = values[2] * 10 + values[3]
        let seconds = digits.count == 6 ? values[4] * 10 + values[5] : 0
        guard hours <= 18, minutes < 60, seconds < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds)
    }
}
