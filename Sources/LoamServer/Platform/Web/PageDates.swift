import Foundation

/// Dates on the pages, in the user's time zone.
struct PageDates {
    private let formatter: DateFormatter

    init(timeZone identifier: String) {
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm zzz"
    }

    func format(_ date: Date?) -> String {
        date.map(formatter.string(from:)) ?? "unknown"
    }
}
