import Fluent
import Foundation
import LoamKit
import Vapor

/// Imports files into one user's own people: detects the format from the content, streams it through
/// LoamKit's reader, and applies it in batches, each batch one transaction. A batch either lands whole or
/// not at all, and everything an import adds is keyed (Message-ID, card identifiers), so an import
/// stopped at any point and run again ends with exactly the data of an uninterrupted run.
struct ImportService: Sendable {
    let app: Application
    let user: User

    static let batchSize = 250

    /// Reports bytes read and the file's size, after each batch.
    typealias Progress = @Sendable (_ done: Int64, _ total: Int64) -> Void

    func importFile(path: String, format asked: ImportFormat?, myAddresses: Set<String> = [], progress: Progress? = nil) async throws
        -> ImportSummary
    {
        let format = try Self.detect(path: path)
        if let asked, asked != format {
            throw ImportError(description: "\(path) looks like \(format.rawValue), not \(asked.rawValue)")
        }
        let scope = try PeopleScope(app: app, actor: user)
        let source = "\(format.rawValue):\((path as NSString).lastPathComponent)"
        var summary = ImportSummary(file: path, format: format.rawValue)
        switch format {
        case .mbox:
            var me = myAddresses.compactMap(IdentityNormalizer.email)
            me.append(User.normalize(email: user.email))
            try await MailboxImport(scope: scope, source: source, myAddresses: Set(me)).run(path: path, into: &summary, progress: progress)
        case .vcard:
            try await AddressBookImport(scope: scope, source: source).run(path: path, into: &summary, progress: progress)
        case .ics:
            throw ImportError(description: "\(path) is an iCalendar file; calendar import is not available in this version yet")
        }
        return summary
    }

    /// The format from the first bytes, never the name.
    static func detect(path: String) throws -> ImportFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(description: "\(path): cannot open the file (does it exist, and may Loam read it?)")
        }
        defer { try? handle.close() }
        let prefix = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        guard !prefix.isEmpty else { throw ImportError(description: "\(path) is empty") }
        guard let format = ImportFormat.detect(prefix) else {
            throw ImportError(description: "\(path) is not a file Loam can import: expected an mbox mailbox, vCard contacts or an iCalendar file")
        }
        return format
    }
}

extension Application {
    func imports(for user: User) -> ImportService { ImportService(app: self, user: user) }
}
