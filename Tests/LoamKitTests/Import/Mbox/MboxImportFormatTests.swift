import Testing

@testable import LoamKit

@Suite("Import format detection from a file's first bytes (mbox side)")
struct MboxImportFormatTests {
    @Test("mbox, vCard and iCalendar are told apart by their first bytes, after a BOM and blank lines")
    func detect() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let cases: [([UInt8], ImportFormat?)] = [
            (Array("From 1789012345678901234@xxx Mon Jan 01 00:00:00 +0000 2024\n".utf8), .mbox),
            (Array("From - Wed Feb 14 12:00:00 2024\r\n".utf8), .mbox),
            (bom + Array("\n\r\nFrom a\n".utf8), .mbox),
            (Array("from a\n".utf8), nil),  // the envelope is case-sensitive (RFC 4155)
            (Array("From: dana@example.com\n".utf8), nil),  // a lone message (.eml), not an mbox
            (Array("Fro".utf8), nil),
            (Array("BEGIN:VCARD\r\nVERSION:3.0\r\n".utf8), .vcard),
            (bom + Array("  \nbegin:vcard\n".utf8), .vcard),
            (Array("BEGIN:VCALENDAR\r\n".utf8), .ics),
            (Array("\nBegin:VCalendar\n".utf8), .ics),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], nil),
            ([0x50, 0x4B, 0x03, 0x04], nil),  // a zip (a Takeout archive not yet unpacked)
            ([], nil),
            (bom, nil),
        ]
        for (prefix, expected) in cases {
            #expect(ImportFormat.detect(prefix) == expected, "\(String(decoding: prefix, as: UTF8.self))")
        }
    }

    @Test("The raw values are the names the import command and the server use")
    func rawValues() {
        #expect(
            ImportFormat.allCases.map(\.rawValue) == [
                "mbox", "vcard", "ics", "linkedin", "google-csv", "outlook-csv", "facebook", "x", "imessage",
            ])
    }
}
