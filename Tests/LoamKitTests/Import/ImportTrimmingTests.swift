import Foundation
import Testing

@testable import LoamKit

/// The readers trim with `trimmingSpaces()` instead of Foundation (which bridges through NSString and was half
/// of an mbox import's time); both must agree on every kind of white space a file can hold.
@Suite("Trimming without Foundation")
struct ImportTrimmingTests {
    static let samples: [String] = [
        "", " ", "\t", "plain", "  both  ", "\tTabbed\t", "\u{00A0}no-break\u{00A0}", "\u{2003}em space\u{3000}",
        "\r\nline breaks\n\r", "\u{2028}separators\u{2029}", "\u{0085}NEL\u{0085}", "\u{000B}\u{000C}vertical\u{000C}",
        " inner  spaces stay ", "\u{200B}zero width is not white space\u{200B}", "e\u{0301} ", " \u{0301}", "日本 ",
        "\u{FEFF}bom\u{FEFF}", " \r", "\n",
    ]

    @Test("trimmingSpaces() is trimmingCharacters(in: .whitespaces)")
    func spaces() {
        for sample in Self.samples {
            #expect(
                sample.trimmingSpaces() == sample.trimmingCharacters(in: .whitespaces), "\(sample.debugDescription)")
            #expect(
                sample[...].trimmingSpaces() == sample.trimmingCharacters(in: .whitespaces),
                "\(sample.debugDescription)")
        }
    }

    @Test("trimmingSpacesAndNewlines() is trimmingCharacters(in: .whitespacesAndNewlines)")
    func spacesAndNewlines() {
        for sample in Self.samples {
            #expect(
                sample.trimmingSpacesAndNewlines() == sample.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(sample.debugDescription)")
        }
    }
}
