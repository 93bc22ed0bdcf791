import Foundation

/// Appends text to a file through a 1 MiB buffer: the generated files run to a gigabyte, and a write per line
/// would time the system calls rather than the generator.
final class BenchmarkFileWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var bytesWritten: Int64 = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw BenchmarkFailure(description: "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        bytesWritten += Int64(text.utf8.count)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A civil date and time in UTC, from seconds since 1970, for the Date, From_ and DTSTART the generators write.
/// Foundation's calendar would do, at a hundred times the cost per call over a million lines.
struct BenchmarkDate {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    /// 0 is Sunday.
    var weekday: Int

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init(secondsSince1970 seconds: Int) {
        let days = seconds / 86_400
        let rest = seconds % 86_400
        hour = rest / 3600
        minute = rest % 3600 / 60
        second = rest % 60
        weekday = (days + 4) % 7  // 1 January 1970 was a Thursday.
        // Howard Hinnant's days-to-civil algorithm.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `Tue, 03 Jan 2023 10:15:00 +0100` (RFC 5322), the wall time shown in the zone `offsetMinutes` east of UTC.
    static func rfc5322(_ seconds: Int, offsetMinutes: Int) -> String {
        let local = BenchmarkDate(secondsSince1970: seconds + offsetMinutes * 60)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = abs(offsetMinutes)
        return "\(weekdays[local.weekday]), \(pad(local.day)) \(months[local.month - 1]) \(local.year) "
            + "\(pad(local.hour)):\(pad(local.minute)):\(pad(local.second)) \(sign)\(pad(offset / 60))\(pad(offset % 60))"
    }

    /// `Tue Jan  3 10:15:00 2023`, the asctime() of a classic From_ line.
    static func asctime(_ seconds: Int) -> String {
        let date = BenchmarkDate(secondsSince1970: seconds)
        let day = date.day < 10 ? " \(date.day)" : "\(date.day)"
        return
            "\(weekdays[date.weekday]) \(months[date.month - 1]) \(day) \(pad(date.hour)):\(pad(date.minute)):\(pad(date.second)) \(date.year)"
    }

    /// `20230103T101500` (iCalendar local time) or `20230103` when `dateOnly`.
    static func ical(_ seconds: Int, dateOnly: Bool = false) -> String {
        let date = BenchmarkDate(secondsSince1970: seconds)
        let day = "\(date.year)\(pad(date.month))\(pad(date.day))"
        return dateOnly ? day : day + "T\(pad(date.hour))\(pad(date.minute))\(pad(date.second))"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// RFC 2047 encoded words and RFC 5545 / 6350 line folding, as mail clients and calendar exports write them.
enum BenchmarkEncoding {
    /// `=?UTF-8?Q?Jos=C3=A9_Garc=C3=ADa?=`
    static func qWord(_ text: String) -> String {
        var encoded = "=?UTF-8?Q?"
        for byte in text.utf8 {
            switch byte {
            case 0x20: encoded += "_"
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "."), UInt8(ascii: "-"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default: encoded += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded + "?="
    }

    /// `=?UTF-8?B?…?=`
    static func bWord(_ text: String) -> String {
        "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    /// A content line folded at 75 octets with CRLF and a space, never inside a UTF-8 sequence (RFC 5545 3.1).
    static func folded(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line + "\r\n" }
        var result = ""
        var width = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if width + size > 75 {
                result += "\r\n "
                width = 1
            }
            result.unicodeScalars.append(scalar)
            width += size
        }
        return result + "\r\n"
    }

    /// A text value escaped for iCalendar and vCard 3.0: backslash, comma, semicolon and newline.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ",": result += "\\,"
            case ";": result += "\\;"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
