import Foundation
import LoamKit
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Loads the master key: from the configuration, or from the key file, creating it on first run.
enum MasterKeyLoader {
    static func load(_ source: MasterKeySource, logger: Logger) throws -> MasterKey {
        switch source {
        case .provided(let key):
            return key
        case .keyFile(let path):
            if FileManager.default.fileExists(atPath: path) {
                return try read(path, logger: logger)
            }
            let key = MasterKey.generate()
            guard try create(path, key: key) else {
                // Another process created it first: use theirs.
                return try read(path, logger: logger)
            }
            logger.warning(
                "LOAM_MASTER_KEY is not set: created a master key file beside the data. Production should set LOAM_MASTER_KEY and keep the key apart from the database and its backups.",
                metadata: ["key_file": .string(path)])
            return key
        }
    }

    private static func read(_ path: String, logger: Logger) throws -> MasterKey {
        let unusable = ConfigurationError(
            variable: "LOAM_MASTER_KEY",
            expected: "a 32-byte key in base64; it is unset and the key file \(path) does not hold one")
        guard let data = FileManager.default.contents(atPath: path) else { throw unusable }
        let key: MasterKey
        do {
            key = try MasterKey(base64: String(decoding: data, as: UTF8.self))
        } catch {
            throw unusable
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0
        {
            logger.warning(
                "The master key file can be read by other users: run chmod 600 on it",
                metadata: ["key_file": .string(path)])
        }
        return key
    }

    /// Writes the key with mode 0600 from the first byte: never a moment where it is world-readable,
    /// and never over an existing file (O_EXCL) if two processes start at once.
    /// Returns false when the file already existed.
    private static func create(_ path: String, key: MasterKey) throws -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try PrivateFiles.makeFolder(folder)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return false }
            throw ConfigurationError(
                variable: "LOAM_DATA_DIR", expected: "a writable folder for the master key file \(path)")
        }
        defer { close(descriptor) }
        let bytes = Array((key.base64 + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            unlink(path)
            throw ConfigurationError(
                variable: "LOAM_DATA_DIR", expected: "a writable folder for the master key file \(path)")
        }
        fsync(descriptor)
        return true
    }
}
