import Foundation
import LoamKit

/// Paths of `Tests/Fixtures/ics/` and helpers to read them whole (tests only; the reader streams).
enum ICalendarFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/ics")

    /// The "now" of every fixture test: occurrences after it are not read.
    static let now = utc(2026, 3, 1, 0, 0)
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func items(atPath path: String, floatingZone: TimeZone = TimeZone(identifier: "UTC")!) throws
        -> [ICalendarItem]
    {
        let reader = try ICalendarReader(path: path, now: now, floatingZone: floatingZone)
        var items: [ICalendarItem] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func items(_ name: String, floatingZone: TimeZone = TimeZone(identifier: "UTC")!) throws -> [ICalendarItem] {
        try items(atPath: path(name), floatingZone: floatingZone)
    }

    static func events(_ name: String, floatingZone: TimeZone = TimeZone(identifier: "UTC")!) throws -> [ICalendarEvent]
    {
        try items(name, floatingZone: floatingZone).compactMap(\.event)
    }

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// Writes `bytes` to a new file in a fresh temporary folder.
    static func temporaryFile(_ bytes: [UInt8], name: String = "calendar.ics") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-ics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporaryFile(_ text: String, name: String = "calendar.ics") throws -> String {
        try temporaryFile(Array(text.utf8), name: name)
    }
}

extension ICalendarItem {
    var event: ICalendarEvent? {
        if case .event(let event) = self { return event }
        return nil
    }

    var ignored: (line: Int, reason: String)? {
        if case .ignored(let line, let reason) = self { return (line, reason) }
        return nil
    }

    var skipped: (line: Int, reason: String)? {
        if case .skipped(let line, let reason) = self { return (line, reason) }
        return nil
    }
}

extension ICalendarEvent {
    var starts: [Date] { occurrences.map(\.start) }
    var keys: [String] { occurrences.map(\.key) }
    var attendeeEmails: [String] { attendees.map(\.email) }
}
