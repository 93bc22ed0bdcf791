import Foundation

/// Reads LinkedIn's `Connections.csv` (Settings → Data privacy → Get a copy of your data → Connections) one
/// connection at a time, in bounded memory.
///
/// Two layouts are read, the header row found by its names, never assumed to be row 1:
/// - current: a `Notes:` line, a quoted paragraph about missing emails, a blank line, then
///   `First Name,Last Name,URL,Email Address,Company,Position,Connected On`, dates like `05 Dec 2025`;
/// - older: the header first, no URL column, dates like `1/8/18, 6:14 PM`, and `urn:li:member:…` where the
///   connection hid their email.
///
/// Company and Position become organization and title, the URL a profile identity, `urn:li:member:…` a LinkedIn
/// account id. Damage is skipped row by row as `CSVContactRows` describes; a row naming nobody is skipped too.
public final class LinkedInConnectionsReader: ContactListReader {
    public let totalBytes: Int64
    /// How far into the file the reader has got, for progress.
    public var bytesRead: Int64 { rows.bytesRead }

    private let rows: CSVContactRows
    private let firstName, lastName, url, email, company, position, connectedOn: Int?

    /// Throws `ImportFileError.unreadable` when the file cannot be read, `.notThisFormat(expected: "linkedin")`
    /// when it has no LinkedIn header near its start.
    public init(source: any ImportByteSource) throws {
        rows = try CSVContactRows(
            source: source, expected: "linkedin", looksLike: Self.looksLike, isHeader: Self.isHeader)
        let header = rows.header
        totalBytes = rows.totalBytes
        firstName = header.column("firstname")
        lastName = header.column("lastname")
        url = header.column("url", "profileurl")
        email = header.column("emailaddress", "email")
        company = header.column("company")
        position = header.column("position")
        connectedOn = header.column("connectedon")
    }

    public convenience init(path: String) throws {
        try self.init(source: FileByteSource(path: path))
    }

    /// Whether a file's first bytes (4 KB is plenty) hold a LinkedIn connections header within their first rows.
    public static func looksLike(_ prefix: [UInt8]) -> Bool {
        CSVHeader.find(in: prefix, where: isHeader)
    }

    static func isHeader(_ header: CSVHeader) -> Bool {
        header.contains("firstname") && header.contains("lastname") && header.contains("connectedon")
    }

    /// The next connection, or a `.skipped` row; nil at the end of the file.
    public func next() throws -> ContactItem? { try rows.nextContact(record) }

    private func record(_ row: CSVRow) -> ContactRecord {
        typealias R = CSVContactRows
        var record = ContactRecord(
            line: row.line, givenName: R.text(row, firstName), familyName: R.text(row, lastName),
            organization: R.text(row, company), title: R.text(row, position), relationship: "connection")
        if let url = R.text(row, url) { record.identifiers.append(.profileURL(url)) }
        if let email = R.text(row, email) {
            if email.lowercased().hasPrefix("urn:li:") {
                record.identifiers.append(.sourceID(service: "linkedin", value: email))
            } else if email.utf8.contains(0x40) {  // "@" on bytes: Foundation's `contains` bridges to NSString
                record.identifiers.append(.email(email))
            }
        }
        record.connectedAt = R.text(row, connectedOn).flatMap(CSVContactDates.connectedOn)
        return record
    }
}
