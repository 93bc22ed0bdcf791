/// A reader of a contact-list export (LinkedIn, Google or Outlook CSV, Facebook friends, X follows): one
/// `ContactItem` at a time in bounded memory, with progress in bytes.
public protocol ContactListReader: AnyObject {
    var totalBytes: Int64 { get }
    var bytesRead: Int64 { get }
    /// The next contact or skipped record; nil at the end.
    func next() throws -> ContactItem?
}
