import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything Loam writes under its data folder (the database, the key file, the outbox's mails with their live
/// links, sealed uploads) is for the account that runs Loam alone: folders 0700, files 0600, whatever the
/// process umask. Folders and files are created with those modes from the first moment, and ones left by an
/// earlier version with wider modes are narrowed when Loam next uses them.
enum PrivateFiles {
    static let folderMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// Creates `path` and any missing parents as 0700; narrows `path` itself to 0700 if it already exists
    /// (parents that already existed are not Loam's to change).
    static func makeFolder(_ path: String) throws {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            if mkdir(folder, folderMode) != 0, errno != EEXIST {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: folder])
            }
            // mkdir's mode passes through the umask, which can only take bits away; chmod says it exactly.
            chmod(folder, folderMode)
        }
        narrow(path, to: folderMode)
    }

    /// Creates `path` as an empty 0600 file if it is missing (so that a program opening it later, SQLite,
    /// finds that mode, and gives it to its -wal and -shm files too); narrows an existing one to 0600.
    static func prepareFile(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        close(descriptor)
        narrow(path, to: fileMode)
    }

    /// Narrows an existing file to 0600; nothing when it does not exist.
    static func narrowFile(_ path: String) {
        narrow(path, to: fileMode)
    }

    /// Narrows an existing folder to 0700; nothing when it does not exist.
    static func narrowFolder(_ path: String) {
        narrow(path, to: folderMode)
    }

    /// Writes `bytes` to `path` atomically (a reader sees the old file or the whole new one) as a 0600 file:
    /// a temporary file made 0600 from its creation, synced, then renamed over `path`.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary =
            (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            written += count
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, buffer, count)
        #else
            Darwin.write(descriptor, buffer, count)
        #endif
    }

    /// Takes group and other bits away from an existing path; a path owned by someone else is left alone.
    private static func narrow(_ path: String, to mode: mode_t) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let current = (attributes[.posixPermissions] as? NSNumber)?.intValue, current & 0o7777 != Int(mode),
            (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == geteuid()
        else { return }
        chmod(path, mode)
    }
}
