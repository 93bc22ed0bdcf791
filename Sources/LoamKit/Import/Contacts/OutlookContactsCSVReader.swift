import Foundation

/// Reads an Outlook contacts CSV export (Outlook on the web: People → Manage contacts → Export; Outlook for
/// Windows: File → Open & Export → Import/Export → Comma Separated Values) one contact at a time, in bounded memory.
///
/// Columns are found by name (`"First Name"`, `"E-mail Address"`, `"E-mail 2 Address"`, `"Mobile Phone"`,
/// `"Company"`, `"Job Title"`, `"Birthday"`, `"Web Page"`…), as the web and desktop layouts order them
/// differently. Outlook for Windows writes the ANSI code page: a field that is not valid UTF-8 is read as
/// Windows-1252. `"Title"` is the honorific (Dr., Ms.), not the job. An Exchange address (`/o=…`, no `@`) is
/// no email. Birthdays `4/15/1985`, `0/0/00` for none. Damage is skipped row by row as `CSVContactRows`
/// describes; a row naming nobody is skipped too.
public final class OutlookContactsCSVReader: ContactListReader {
    public let totalBytes: Int64
    /// How far into the file the reader has got, for progress.
    public var bytesRead: Int64 { rows.bytesRead }

    private let rows: CSVContactRows
    private let name, givenName, middleName, familyName, company, jobTitle, birthday: Int?
    private let emails, phones, webPages: [Int]

    /// Throws `ImportFileError.unreadable` when the file cannot be read, `.notThisFormat(expected: "outlook-csv")`
    /// when its header is not an Outlook contacts header.
    public init(source: any ImportByteSource) throws {
        rows = try CSVContactRows(
            source: source, expected: "outlook-csv", looksLike: Self.looksLike, isHeader: Self.isHeader)
        let header = rows.header
        totalBytes = rows.totalBytes
        name = header.column("name", "displayname")
        givenName = header.column("firstname")
        middleName = header.column("middlename")
        familyName = header.column("lastname")
        company = header.column("company")
        jobTitle = header.column("jobtitle")
        birthday = header.column("birthday")
        emails = ["emailaddress", "email2address", "email3address"].compactMap { header.column($0) }
        // Mobile first, then the rest as the header orders them; faxes, pagers and the assistant's are not theirs.
        let phoneColumns = header.keys.enumerated().filter { _, key in
            (key.hasSuffix("phone") || key.hasSuffix("phone2")) && key != "assistantsphone"
        }.map(\.offset)
        phones =
            phoneColumns.filter { header.keys[$0] == "mobilephone" }
            + phoneColumns.filter { header.keys[$0] != "mobilephone" }
        webPages = ["webpage", "personalwebpage"].compactMap { header.column($0) }
    }

    public convenience init(path: String) throws {
        try self.init(source: FileByteSource(path: path))
    }

    /// Whether a file's first bytes (4 KB is plenty) start with an Outlook contacts header.
    public static func looksLike(_ prefix: [UInt8]) -> Bool {
        CSVHeader.find(in: prefix, where: isHeader)
    }

    /// A name column and one of Outlook's own (`E-mail Address`, `Mobile Phone`, `Job Title`…), in a header that
    /// is neither LinkedIn's nor Google's (which share `First Name`).
    static func isHeader(_ header: CSVHeader) -> Bool {
        guard header.contains("firstname") || header.contains("lastname"),
            !LinkedInConnectionsReader.isHeader(header), !GoogleContactsCSVReader.isHeader(header)
        else { return false }
        return ["emailaddress", "email2address", "mobilephone", "businessphone", "homephone", "jobtitle", "webpage"]
            .contains(where: header.contains)
    }

    /// The next contact, or a `.skipped` row; nil at the end of the file.
    public func next() throws -> ContactItem? { try rows.nextContact(record) }

    private func record(_ row: CSVRow) -> ContactRecord {
        typealias R = CSVContactRows
        let (full, given, family) = R.names(row, full: name, given: givenName, middle: middleName, family: familyName)
        var record = ContactRecord(
            line: row.line, name: full, givenName: given, familyName: family, organization: R.text(row, company),
            title: R.text(row, jobTitle), relationship: "contact")
        // "@" on bytes: Foundation's `contains` bridges to NSString.
        record.identifiers += emails.compactMap { R.text(row, $0) }.filter {
            $0.utf8.contains(0x40) && !$0.hasPrefix("/")
        }
        .map { .email($0) }
        record.identifiers += phones.compactMap { R.text(row, $0) }.map { .phone($0) }
        record.identifiers += webPages.compactMap { R.text(row, $0) }.map { .profileURL($0) }
        record.birthday = R.text(row, birthday).flatMap(CSVContactDates.outlookBirthday)
        return record
    }
}
