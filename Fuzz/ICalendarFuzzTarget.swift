// fuzz target: ics
import Foundation

/// libFuzzer target for `ICalendarReader`: the input as a whole calendar, from memory, read to its end with both
/// passes, occurrences expanded up to a fixed "now" and floating times read in Berlin (a zone with daylight saving).
/// A recurring event keeps at most `ICalendarFuzz.occurrenceLimit` occurrences instead of an import's 10,000: every
/// FREQ=SECONDLY, MINUTELY or HOURLY rule reaches the cap before "now", and the occurrences past a few hundred run
/// the same code again (an input of 100 such events in 8 KB took 3 s here, near the timeout on a busy machine).
@_cdecl("LLVMFuzzerTestOneInput")
public func iCalendarFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    let reader: ICalendarReader
    do {
        reader = try ICalendarReader(
            source: ByteArraySource(bytes), now: ICalendarFuzz.now, floatingZone: ICalendarFuzz.zone)
        reader.occurrenceLimit = ICalendarFuzz.occurrenceLimit
    } catch ImportFileError.notThisFormat {
        FuzzInput.check(ImportFormat.detect(bytes) != .ics, "ICalendarReader refused an input detect() calls ics")
        return 0
    } catch {
        FuzzInput.check(false, "ICalendarReader.init threw \(error)")
        return 0
    }
    FuzzInput.readToEnd(next: reader.next, bytesRead: { reader.bytesRead }, totalBytes: reader.totalBytes, size: size)
    return 0
}

enum ICalendarFuzz {
    /// 2027-01-01T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_798_761_600)
    static let zone = TimeZone(identifier: "Europe/Berlin")!
    /// Enough for a daily series to cross a daylight-saving change, and a weekly one both changes of a year; the
    /// cap itself is reached by every sub-daily rule, so its code runs too. (400 left the target at about 200
    /// executions a second, most of it in expansions past anything new.)
    static let occurrenceLimit = 120
}
