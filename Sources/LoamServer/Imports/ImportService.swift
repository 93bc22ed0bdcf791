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

    /// Imports a file on disk; `path` names it in the summary and in errors.
    func importFile(path: String, format asked: ImportFormat?, myAddresses: Set<String> = [], progress: Progress? = nil) async throws
        -> ImportSummary
    {
        let source: FileByteSource
        do {
            source = try FileByteSource(path: path)
        } catch {
            throw ImportError(description: "\(path): cannot open the file (does it exist, and may Loam read it?)")
        }
        return try await importSource(source, name: path, format: asked, myAddresses: myAddresses, progress: progress)
    }

    /// Imports from any byte source: a file, or an upload's sealed spool. `name` is the file's name as the
    /// user knows it, for the summary, the errors and each fact's source.
    func importSource(
        _ bytes: any ImportByteSource, name: String, format asked: ImportFormat?, myAddresses: Set<String> = [], progress: Progress? = nil
    ) async throws -> ImportSummary {
        let format = try Self.detect(bytes, name: name)
        if let asked, asked != format {
            throw ImportError(description: "\(name) looks like \(format.rawValue), not \(asked.rawValue)")
        }
        let scope = try PeopleScope(app: app, actor: user)
        let source = "\(format.rawValue):\((name as NSString).lastPathComponent)"
        var summary = ImportSummary(file: name, format: format.rawValue)
        var me = myAddresses.compactMap(IdentityNormalizer.email)
        me.append(User.normalize(email: user.email))
        do {
            switch format {
            case .mbox:
                try await MailboxImport(scope: scope, source: source, myAddresses: Set(me)).run(MboxReader(source: bytes), into: &summary, progress: progress)
            case .vcard:
                try await AddressBookImport(scope: scope, source: source).run(VCardReader(source: bytes), into: &summary, progress: progress)
            case .ics:
                // Floating times and all-day events are the user's own wall clock; only what has happened counts.
                let reader = try ICalendarReader(
                    source: bytes, now: app.clock.now(), floatingZone: TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "UTC")!)
                try await CalendarImport(scope: scope, source: source, myAddresses: Set(me)).run(reader, into: &summary, progress: progress)
            }
        } catch let error as ImportFileError {
            throw ImportError(description: "\(name): \(error)")
        }
        return summary
    }

    /// The format from the first bytes, never the name; the source is rewound for the reader.
    static func detect(_ bytes: any ImportByteSource, name: String) throws -> ImportFormat {
        let prefix = (try? bytes.read(upToCount: 4096)) ?? []
        try? bytes.rewind()
        guard !prefix.isEmpty else { throw ImportError(description: "\(name) is empty") }
        guard let format = ImportFormat.detect(prefix) else {
            throw ImportError(description: "\(name) is not a file Loam can import: expected an mbox mailbox, vCard contacts or an iCalendar file")
        }
        return format
    }
}

extension Application {
    func imports(for user: User) -> ImportService { ImportService(app: self, user: user) }
}
