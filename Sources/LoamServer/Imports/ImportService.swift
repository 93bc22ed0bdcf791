import Fluent
import Foundation
import LoamKit
import Vapor

/// Imports files into one user's own people: detects the format from the content, streams it through
/// LoamKit's reader, and applies it in batches, each batch one transaction. A batch either lands whole or
/// not at all, and everything an import adds is keyed (Message-ID, card identifiers), so an import
/// stopped at any point and run again ends with exactly the data of an uninterrupted run.
///
/// An export may be given as its file, the folder it unpacks to, or the zip as downloaded: `ExportLocator`
/// finds its files inside.
struct ImportService: Sendable {
    let app: Application
    let user: User

    static let batchSize = 500

    /// Reports bytes read and the file's size, after each batch.
    typealias Progress = @Sendable (_ done: Int64, _ total: Int64) -> Void

    /// Imports a file, a folder or a zip on disk; `path` names it in the summary and in errors.
    func importFile(path: String, format asked: ImportFormat?, myAddresses: Set<String> = [], progress: Progress? = nil)
        async throws
        -> ImportSummary
    {
        var isDirectory: ObjCBool = false
        let source: FileByteSource
        do {
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ImportFileError.unreadable(path)
            }
            if isDirectory.boolValue {
                return try await importExport(
                    try Self.locate(path: path, asked: asked), name: path, myAddresses: myAddresses, progress: progress)
            }
            source = try FileByteSource(path: path)
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.cannotImport("\(path): cannot open the file (does it exist, and may Loam read it?)")
        }
        if ZipArchive.looksLike((try? source.read(upToCount: 4)) ?? []) {
            return try await importExport(
                try Self.locate(path: path, asked: asked), name: path, myAddresses: myAddresses, progress: progress)
        }
        try? source.rewind()
        return try await importSource(
            source, name: path, format: asked, filePath: path, myAddresses: myAddresses, progress: progress)
    }

    /// Imports from any byte source: a file, or an upload's sealed spool. `name` is the file's name as the
    /// user knows it, for the summary, the errors and each fact's source. `filePath` is the file on disk when
    /// there is one: an iMessage database is opened by SQLite itself, so it cannot come from a spool.
    func importSource(
        _ bytes: any ImportByteSource, name: String, format asked: ImportFormat?, filePath: String? = nil,
        myAddresses: Set<String> = [],
        progress: Progress? = nil
    ) async throws -> ImportSummary {
        if ZipArchive.looksLike((try? bytes.read(upToCount: 4)) ?? []) {
            try? bytes.rewind()
            return try await importExport(
                try Self.locate(zip: bytes, name: name, asked: asked), name: name, myAddresses: myAddresses,
                progress: progress)
        }
        try? bytes.rewind()
        let format = try Self.detect(bytes, name: name)
        if let asked, asked != format {
            throw ImportError.cannotImport("\(name) looks like \(format.rawValue), not \(asked.rawValue)")
        }
        return try await run(
            format, sources: [bytes], filePath: filePath, name: name, myAddresses: myAddresses, progress: progress)
    }

    private func importExport(
        _ located: (format: ImportFormat, files: [LocatedFile]), name: String, myAddresses: Set<String>,
        progress: Progress?
    ) async throws -> ImportSummary {
        // A single file found inside is checked like a file given itself.
        if located.files.count == 1, let file = located.files.first, located.format != .imessage {
            let format = try Self.detect(file.source, name: file.name)
            guard format == located.format else {
                throw ImportError.cannotImport(
                    "\(name): \(file.name) looks like \(format.rawValue), not \(located.format.rawValue)")
            }
        }
        var summary = try await run(
            located.format, sources: located.files.map(\.source), filePath: located.files.first?.filePath, name: name,
            myAddresses: myAddresses,
            progress: progress)
        summary.file = name
        return summary
    }

    /// Reads the files of one format into the user's people.
    private func run(
        _ format: ImportFormat, sources: [any ImportByteSource], filePath: String?, name: String,
        myAddresses: Set<String>, progress: Progress?
    ) async throws -> ImportSummary {
        let scope = try app.people(for: user)
        let source = "\(format.rawValue):\((name as NSString).lastPathComponent)"
        var summary = ImportSummary(file: name, format: format.rawValue)
        var me = myAddresses.compactMap(IdentityNormalizer.email)
        me.append(User.normalize(email: user.email))
        guard let first = sources.first else { throw ImportError.cannotImport("\(name) holds no file to import") }
        func contacts(_ reader: any ContactListReader, service: String) async throws {
            try await ContactListImport(scope: scope, source: source, service: service, format: format.rawValue).run(
                reader, into: &summary, progress: progress)
        }
        do {
            switch format {
            case .mbox:
                try await MailboxImport(scope: scope, source: source, myAddresses: Set(me)).run(
                    MboxReader(source: first), into: &summary, progress: progress)
            case .vcard:
                try await AddressBookImport(scope: scope, source: source).run(
                    VCardReader(source: first), into: &summary, progress: progress)
            case .ics:
                // Floating times and all-day events are the user's own wall clock; only what has happened counts.
                let reader = try ICalendarReader(
                    source: first, now: app.clock.now(),
                    floatingZone: TimeZone(identifier: user.timeZone) ?? TimeZone(identifier: "UTC")!)
                try await CalendarImport(scope: scope, source: source, myAddresses: Set(me)).run(
                    reader, into: &summary, progress: progress)
            case .linkedin: try await contacts(LinkedInConnectionsReader(source: first), service: "LinkedIn")
            case .googleCSV: try await contacts(GoogleContactsCSVReader(source: first), service: "Google Contacts")
            case .outlookCSV: try await contacts(OutlookContactsCSVReader(source: first), service: "Outlook")
            case .facebook: try await contacts(FacebookFriendsReader(source: first), service: "Facebook")
            case .x: try await contacts(XFollowsReader(sources: sources), service: "X")
            case .imessage:
                guard let path = filePath else {
                    throw ImportError.cannotImport(
                        "\(name): an iMessage database (chat.db) is read where it lies, never uploaded or unzipped: "
                            + "import it with `loam import` from a copy of ~/Library/Messages")
                }
                try await MessageCountImport(scope: scope, source: source).run(
                    path: path, into: &summary, progress: progress)
            }
        } catch let error as ImportFileError {
            throw ImportError.cannotImport("\(name): \(error)")
        }
        return summary
    }

    /// The format from the first bytes, never the name; the source is rewound for the reader.
    static func detect(_ bytes: any ImportByteSource, name: String) throws -> ImportFormat {
        let prefix = (try? bytes.read(upToCount: 4096)) ?? []
        try? bytes.rewind()
        guard !prefix.isEmpty else { throw ImportError.cannotImport("\(name) is empty") }
        guard let format = ImportFormat.detect(prefix) else {
            throw ImportError.cannotImport(
                "\(name) is not a file Loam can import: expected an mbox mailbox, vCard contacts, an iCalendar file, "
                    + "a LinkedIn, Google or Outlook contacts CSV, Facebook friends, an X archive or an iMessage chat.db"
            )
        }
        return format
    }

    /// The export in a folder: the asked format's files, or, when none was asked, those of the one export found.
    static func locate(path: String, asked: ImportFormat?) throws -> (format: ImportFormat, files: [LocatedFile]) {
        try choose(name: path, asked: asked) { try ExportLocator.locate($0, at: path) }
    }

    /// The same inside a zip that is already open (an upload).
    static func locate(zip: any ImportByteSource, name: String, asked: ImportFormat?) throws -> (
        format: ImportFormat, files: [LocatedFile]
    ) {
        try choose(name: name, asked: asked) { kind in
            try zip.rewind()
            return try ExportLocator.locate(kind, in: zip, name: name)
        }
    }

    private static func choose(name: String, asked: ImportFormat?, locate: (ExportKind) throws -> [LocatedFile]) throws
        -> (format: ImportFormat, files: [LocatedFile])
    {
        do {
            if let asked {
                guard let kind = asked.exportKind else {
                    throw ImportError.cannotImport(
                        "\(name) is a folder or a zip; give the \(asked.rawValue) file itself")
                }
                return (asked, try locate(kind))
            }
            let found = ImportFormat.allCases.compactMap { format -> (ImportFormat, [LocatedFile])? in
                guard let kind = format.exportKind, let files = try? locate(kind), !files.isEmpty else { return nil }
                return (format, files)
            }
            guard let only = found.first, found.count == 1 else {
                throw ImportError.cannotImport(
                    found.isEmpty
                        ? "\(name) holds no export Loam reads (LinkedIn, Google or Outlook contacts, Facebook, X or iMessage)"
                        : "\(name) holds several exports (\(found.map(\.0.rawValue).joined(separator: ", "))): choose one with --format"
                )
            }
            return only
        } catch let error as ImportFileError {
            throw ImportError.cannotImport("\(name): \(error)")
        }
    }
}

extension Application {
    func imports(for user: User) -> ImportService { ImportService(app: self, user: user) }
}
