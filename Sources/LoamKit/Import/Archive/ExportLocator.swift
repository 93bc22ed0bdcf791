import Foundation

/// The exports whose files `ExportLocator` finds inside a folder or a zip.
public enum ExportKind: String, Sendable, CaseIterable {
    case facebook, x, linkedin
    case googleContacts = "google-csv"
    case outlookContacts = "outlook-csv"
    case imessage
}

/// One file of an export, ready to read.
public struct LocatedFile {
    /// Its path inside the folder or the zip (or the path given, for a file given itself): for summaries and errors.
    public let name: String
    public let source: any ImportByteSource
    /// The file on disk, nil for a zip entry: SQLite (`chat.db`) needs a real file, and its `-wal` sits beside it.
    public let filePath: String?
}

/// Finds the files of an export wherever the user points: the file itself, the folder the export unpacks
/// to, or the zip as downloaded. Services put their files under a top folder that changes with the user and the
/// date (`facebook-dana-2025-01-02/connections/friends/your_friends.json`), so files are found by the end of
/// their path, at any depth, never by a fixed full path. Zip entries that point outside the archive (`..`,
/// absolute paths) and macOS's `__MACOSX/` resource copies are never chosen.
public enum ExportLocator {
    /// A folder with more files than this is not an export (the user pointed at their home folder).
    static let folderFileLimit = 200_000

    /// The files to read, in order: one for every export but X, whose following and follower lists (each in
    /// as many `-partN` files as `data/manifest.js` names) come following first.
    ///
    /// Throws `ImportFileError.unreadable` when nothing is at `path`, when a folder or zip holds no file of the
    /// export (the message names what was looked for), or when the zip is damaged.
    public static func locate(_ kind: ExportKind, at path: String) throws -> [LocatedFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportFileError.unreadable("there is no file or folder at \(path)")
        }
        if isDirectory.boolValue { return try locate(kind, inFolder: path) }
        return try locate(kind, in: FileByteSource(path: path), name: path, filePath: path)
    }

    /// The same for bytes already open (an uploaded file's spool): a zip is searched, anything else is the
    /// file itself, for the reader to check.
    public static func locate(_ kind: ExportKind, in source: any ImportByteSource, name: String) throws -> [LocatedFile]
    {
        try locate(kind, in: source, name: name, filePath: nil)
    }

    private static func locate(_ kind: ExportKind, in source: any ImportByteSource, name: String, filePath: String?)
        throws -> [LocatedFile]
    {
        let prefix = try source.read(upToCount: 4)
        try source.rewind()
        guard ZipArchive.looksLike(prefix) else { return [LocatedFile(name: name, source: source, filePath: filePath)] }
        let archive = try ZipArchive(source: source)
        var entries: [String: ZipEntry] = [:]
        for entry in archive.entries where entry.hasSafePath && !entry.isDirectory { entries[entry.path] = entry }
        let chosen = try choose(kind, among: Array(entries.keys), where: "\((name as NSString).lastPathComponent)") {
            path in
            try archive.open(entries[path]!)
        }
        return try chosen.map { path in LocatedFile(name: path, source: try archive.open(entries[path]!), filePath: nil)
        }
    }

    private static func locate(_ kind: ExportKind, inFolder folder: String) throws -> [LocatedFile] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw ImportFileError.unreadable("\(folder) cannot be read")
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            guard paths.count < folderFileLimit else {
                throw ImportFileError.unreadable(
                    "\(folder) holds more than \(folderFileLimit) files; point Loam at the export's own folder")
            }
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { paths.append(relative) }
        }
        let root = URL(fileURLWithPath: folder)
        let chosen = try choose(kind, among: paths, where: folder) { path in
            try FileByteSource(path: root.appendingPathComponent(path).path)
        }
        return try chosen.map { path in
            let full = root.appendingPathComponent(path).path
            return LocatedFile(name: path, source: try FileByteSource(path: full), filePath: full)
        }
    }

    // MARK: Choosing

    /// The paths to read among `paths`, in order; `open` reads a file (X's manifest).
    static func choose(
        _ kind: ExportKind, among paths: [String], where place: String, open: (String) throws -> any ImportByteSource
    ) throws
        -> [String]
    {
        let candidates = paths.filter {
            !$0.hasPrefix("__MACOSX/") && !($0 as NSString).lastPathComponent.hasPrefix("._")
        }
        func missing(_ looked: String) -> ImportFileError {
            .unreadable("\(place) holds no \(looked)")
        }
        switch kind {
        case .facebook:
            for ending in [
                "connections/friends/your_friends.json", "friends_and_followers/friends.json", "friends/friends.json",
            ] {
                if let path = shallowest(candidates.filter { ends($0, with: ending) }) { return [path] }
            }
            throw missing(
                "connections/friends/your_friends.json (nor the older friends_and_followers/friends.json); export \"Friends and followers\" in JSON, and if Facebook split the export into several zips, try each"
            )
        case .x:
            let files = try xFiles(among: candidates, open: open)
            guard !files.isEmpty else { throw missing("data/following.js or data/follower.js of an X archive") }
            return files
        case .linkedin:
            if let path = shallowest(candidates.filter { named($0, "Connections.csv") }) { return [path] }
            throw missing("Connections.csv of a LinkedIn export")
        case .googleContacts, .outlookContacts:
            if let path = shallowest(candidates.filter { named($0, "contacts.csv") }) { return [path] }
            throw missing("contacts.csv")
        case .imessage:
            if let path = shallowest(candidates.filter { named($0, "chat.db") }) { return [path] }
            throw missing("chat.db (the Messages database, in ~/Library/Messages)")
        }
    }

    /// X's lists: the files `data/manifest.js` names for `following` and `follower`, else the
    /// `following.js`, `following-part1.js`… beside it (or anywhere, without a manifest), in part order.
    private static func xFiles(among paths: [String], open: (String) throws -> any ImportByteSource) throws -> [String]
    {
        let present = Set(paths)
        if let manifest = shallowest(paths.filter { ends($0, with: "data/manifest.js") }) {
            let root = String(manifest.dropLast("data/manifest.js".count))
            let named = XManifest.files(in: try open(manifest))
            var files: [String] = []
            for type in ["following", "follower"] {
                files += (named[type] ?? []).map { root + $0 }.filter { present.contains($0) }
            }
            if !files.isEmpty { return files }
        }
        var files: [String] = []
        for type in ["following", "follower"] {
            let parts = paths.compactMap { path -> (path: String, part: Int)? in
                guard let part = xPart(path, type: type) else { return nil }
                return (path, part)
            }
            guard let folder = shallowest(parts.map(\.path)).map({ ($0 as NSString).deletingLastPathComponent }) else {
                continue
            }
            files += parts.filter { ($0.path as NSString).deletingLastPathComponent == folder }.sorted {
                $0.part < $1.part
            }.map(\.path)
        }
        return files
    }

    /// 0 for `following.js`, N for `following-partN.js`; nil for any other name.
    static func xPart(_ path: String, type: String) -> Int? {
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix(type), name.hasSuffix(".js") else { return nil }
        let middle = name.dropFirst(type.count).dropLast(3)
        if middle.isEmpty { return 0 }
        guard middle.hasPrefix("-part"), let part = Int(middle.dropFirst(5)), part >= 0 else { return nil }
        return part
    }

    /// Whether `path` ends with the whole components of `ending`.
    static func ends(_ path: String, with ending: String) -> Bool {
        path == ending || path.hasSuffix("/" + ending)
    }

    private static func named(_ path: String, _ name: String) -> Bool {
        (path as NSString).lastPathComponent.caseInsensitiveCompare(name) == .orderedSame
    }

    /// The path nearest the top (an export's own file, not a copy nested deeper), first in name order on a tie.
    private static func shallowest(_ paths: [String]) -> String? {
        paths.min { a, b in
            let depthA = a.split(separator: "/").count
            let depthB = b.split(separator: "/").count
            return depthA != depthB ? depthA < depthB : a < b
        }
    }
}
