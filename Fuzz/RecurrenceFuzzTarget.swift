// fuzz target: rrule
import Foundation

/// libFuzzer target for recurrence: `RecurrenceRule.parse`, then `RecurrenceExpander.starts` through a fixed end
/// with a small limit. The input is lines: the first is DTSTART (`[TZID ]20260105T090000`; a fixed Monday 9:00 in
/// Berlin when it does not parse), lines starting `RDATE:` or `EXDATE:` are comma-separated values, any other line is
/// one RRULE. Checks what an import relies on: parsing throws only `RecurrenceRuleError`, and the starts are at most
/// `limit`, in time order, each once, none after the end.
@_cdecl("LLVMFuzzerTestOneInput")
public func recurrenceFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    let dtstart = Recurrence.dtstart(first)
    var rules: [RecurrenceRule] = []
    var rdates: [ICalDateTime] = []
    var exdates: [ICalDateTime] = []
    for line in lines.prefix(8) {
        let upper = line.uppercased()
        if upper.hasPrefix("RDATE:") {
            rdates += Recurrence.values(line.dropFirst(6), zone: dtstart.zone)
        } else if upper.hasPrefix("EXDATE:") {
            exdates += Recurrence.values(line.dropFirst(7), zone: dtstart.zone)
        } else {
            do {
                rules.append(try RecurrenceRule.parse(line))
            } catch is RecurrenceRuleError {
                continue
            } catch {
                FuzzInput.check(false, "RecurrenceRule.parse threw \(error), not a RecurrenceRuleError")
            }
        }
    }
    let starts = RecurrenceExpander.starts(
        dtstart: dtstart, rules: rules, rdates: rdates, exdates: exdates, through: Recurrence.end,
        floatingZone: Recurrence.floatingZone, limit: Recurrence.limit)
    FuzzInput.check(starts.count <= Recurrence.limit, "\(starts.count) starts, limit \(Recurrence.limit)")
    let instants = starts.map { $0.date(floatingZone: Recurrence.floatingZone) }
    FuzzInput.check(!instants.contains(nil), "a start names no instant")
    let dates = instants.compactMap { $0 }
    FuzzInput.check(zip(dates, dates.dropFirst()).allSatisfy { $0 < $1 }, "starts not in strict time order: \(starts)")
    FuzzInput.check(dates.allSatisfy { $0 <= Recurrence.end }, "a start after the end: \(starts)")
    return 0
}

enum Recurrence {
    static let limit = 64
    /// 2030-01-01T00:00:00Z: far enough for every frequency to run, near enough that secondly rules stop at `limit`.
    static let end = Date(timeIntervalSince1970: 1_893_456_000)
    static let floatingZone = TimeZone(identifier: "America/New_York")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func dtstart(_ line: String) -> ICalDateTime {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2, let zone = TimeZone(identifier: parts[0]),
            let value = ICalDateTime.parse(parts[1], zone: zone)
        {
            return value
        }
        return ICalDateTime.parse(line) ?? ICalDateTime(year: 2026, month: 1, day: 5, hour: 9, zone: .named(berlin))
    }

    static func values(_ list: Substring, zone: ICalDateTime.Zone) -> [ICalDateTime] {
        let timeZone: TimeZone? = if case .named(let named) = zone { named } else { nil }
        return list.split(separator: ",").prefix(16).compactMap { ICalDateTime.parse(String($0), zone: timeZone) }
    }
}
