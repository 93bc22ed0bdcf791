import Foundation

/// Reads a Google Contacts CSV export (contacts.google.com → Export → Google CSV) one contact at a time, in
/// bounded memory.
///
/// Both header layouts are read by column name, never position:
/// - current (2020 on): `First Name,Middle Name,Last Name,…,Organization Name,Organization Title,…,Birthday,…,
///   E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,…,Website 1 - Value`;
/// - older: `Name,Given Name,Additional Name,Family Name,…,E-mail 1 - Type,E-mail 1 - Value,…,
///   Organization 1 - Name,Organization 1 - Title`.
///
/// A cell may hold several values joined by ` ::: `; a label starting `* ` marks the primary one, whose values come
/// first. Birthdays `1985-04-15` or `--04-15` (no year). Damage is skipped row by row as `CSVContactRows`
/// describes; a row naming nobody is skipped too.
public final class GoogleContactsCSVReader: ContactListReader {
    public let totalBytes: Int64
    /// How far into the file the reader has got, for progress.
    public var bytesRead: Int64 { rows.bytesRead }

    private let rows: CSVContactRows
    private let name, givenName, middleName, familyName, organization, title, birthday: Int?
    private let emails, phones: [(label: Int?, value: Int)]
    private let websites: [Int]

    /// Throws `ImportFileError.unreadable` when the file cannot be read, `.notThisFormat(expected: "google-csv")`
    /// when its header is not a Google contacts header.
    public init(source: any ImportByteSource) throws {
        rows = try CSVContactRows(
            source: source, expected: "google-csv", looksLike: Self.looksLike, isHeader: Self.isHeader)
        let header = rows.header
        totalBytes = rows.totalBytes
        name = header.column("name")
        givenName = header.column("firstname", "givenname")
        middleName = header.column("middlename", "additionalname")
        familyName = header.column("lastname", "familyname")
        organization = header.column("organizationname", "organization1name")
        title = header.column("organizationtitle", "organization1title")
        birthday = header.column("birthday")
        func pairs(_ kind: String) -> [(label: Int?, value: Int)] {
            header.numbered(prefix: kind, suffix: "value").map { number, column in
                (header.column("\(kind)\(number)label", "\(kind)\(number)type"), column)
            }
        }
        emails = pairs("email")
        phones = pairs("phone")
        websites = header.numbered(prefix: "website", suffix: "value").map(\.column)
    }

    public convenience init(path: String) throws {
        try self.init(source: FileByteSource(path: path))
    }

    /// Whether a file's first bytes (4 KB is plenty) start with a Google contacts header.
    public static func looksLike(_ prefix: [UInt8]) -> Bool {
        CSVHeader.find(in: prefix, where: isHeader)
    }

    /// Google's own columns: numbered `… 1 - Value` pairs, `Given Name`/`Family Name` (older), or the current
    /// layout's `File As`, `Labels`, `Organization Name` or phonetic names, which Outlook does not write.
    static func isHeader(_ header: CSVHeader) -> Bool {
        guard !header.contains("connectedon") else { return false }
        if ["email1value", "phone1value", "website1value", "organization1name"].contains(where: header.contains) {
            return true
        }
        if header.contains("givenname") && header.contains("familyname") { return true }
        return header.contains("firstname")
            && ["fileas", "labels", "organizationname", "phoneticfirstname"].contains(where: header.contains)
    }

    /// The next contact, or a `.skipped` row; nil at the end of the file.
    public func next() throws -> ContactItem? { try rows.nextContact(record) }

    private func record(_ row: CSVRow) -> ContactRecord {
        typealias R = CSVContactRows
        let (full, given, family) = R.names(row, full: name, given: givenName, middle: middleName, family: familyName)
        var record = ContactRecord(
            line: row.line, name: full, givenName: given, familyName: family,
            organization: R.values(row, organization).first,
            title: R.values(row, title).first, relationship: "contact")
        record.identifiers += Self.primaryFirst(row, emails).map { .email($0) }
        record.identifiers += Self.primaryFirst(row, phones).map { .phone($0) }
        record.identifiers += websites.flatMap { R.values(row, $0) }.map { .profileURL($0) }
        record.birthday = R.text(row, birthday).flatMap(CSVContactDates.birthday)
        return record
    }

    /// The values of numbered columns, those whose label starts with `* ` (Google's primary) first.
    private static func primaryFirst(_ row: CSVRow, _ columns: [(label: Int?, value: Int)]) -> [String] {
        var primary: [String] = []
        var others: [String] = []
        for (label, value) in columns {
            let values = CSVContactRows.values(row, value)
            if CSVContactRows.text(row, label)?.hasPrefix("* ") == true {
                primary += values
            } else {
                others += values
            }
        }
        return primary + others
    }
}
