import Crypto
import Foundation

/// A file uploaded for import, kept on disk only sealed until the import has read it.
///
/// An uploaded mailbox holds message bodies and a calendar its meeting titles; Loam never stores either in
/// clear, not even for the minutes an import takes. The upload is written in 64 KiB chunks, each sealed with
/// AES-256-GCM under a key made for this one file. Chunk `i`'s nonce is `i`, and its associated data says
/// whether it is the last, so chunks cannot be reordered, dropped or cut off without opening failing. The key
/// is stored only sealed under the owner's data key (with the import's row), and the spool is deleted when
/// the import ends.
///
/// Layout: a sequence of `[4-byte big-endian length][ciphertext + 16-byte tag]`.
public enum SealedSpool {
    public static let chunkSize = 64 * 1024
    static let tagCount = 16

    /// A new random key for one spool; 32 bytes, to be sealed by the caller.
    public static func generateKey() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    static func nonce(_ index: UInt64) throws -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for shift in 0..<8 { bytes[11 - shift] = UInt8(truncatingIfNeeded: index >> (8 * UInt64(shift))) }
        return try AES.GCM.Nonce(data: bytes)
    }

    static func associatedData(index: UInt64, isLast: Bool) -> [UInt8] {
        Array("loam/spool/v1".utf8) + withUnsafeBytes(of: index.bigEndian, Array.init) + [isLast ? 1 : 0]
    }

    /// Writes a spool as bytes arrive. Call `finish()` once; a spool never finished cannot be opened.
    public final class Writer {
        public private(set) var plaintextBytes: Int64 = 0
        private let handle: FileHandle
        private let key: SymmetricKey
        private var pending: [UInt8] = []
        private var index: UInt64 = 0

        /// Creates (or truncates) the file at `path`, readable by this user only.
        public init(path: String, key: [UInt8]) throws {
            guard key.count == 32 else { throw SpoolError.badKey }
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw SpoolError.io("cannot create \(path)") }
            self.handle = handle
            self.key = SymmetricKey(data: key)
        }

        deinit { try? handle.close() }

        public func append(_ bytes: some Collection<UInt8>) throws {
            pending.append(contentsOf: bytes)
            plaintextBytes += Int64(bytes.count)
            while pending.count > SealedSpool.chunkSize {
                try seal(Array(pending.prefix(SealedSpool.chunkSize)), isLast: false)
                pending.removeFirst(SealedSpool.chunkSize)
            }
        }

        /// Seals what is left as the last chunk (an empty one for an empty file) and closes the file.
        public func finish() throws {
            try seal(pending, isLast: true)
            pending = []
            try handle.synchronize()
            try handle.close()
        }

        private func seal(_ chunk: [UInt8], isLast: Bool) throws {
            let box = try AES.GCM.seal(
                chunk, using: key, nonce: SealedSpool.nonce(index),
                authenticating: SealedSpool.associatedData(index: index, isLast: isLast))
            let body = Array(box.ciphertext) + Array(box.tag)
            let length = UInt32(body.count).bigEndian
            do {
                try handle.write(contentsOf: withUnsafeBytes(of: length, Array.init) + body)
            } catch {
                throw SpoolError.io(error.localizedDescription)
            }
            index += 1
        }
    }

    /// Reads a finished spool back as plain bytes, for an import reader.
    public final class Reader: ImportByteSource {
        public let size: Int64
        private let handle: FileHandle
        private let key: SymmetricKey
        private var index: UInt64 = 0
        private var chunk: [UInt8] = []
        private var position = 0
        private var sawLast = false

        /// `size` is the plaintext size recorded when the spool was written (for progress).
        public init(path: String, key: [UInt8], size: Int64) throws {
            guard key.count == 32 else { throw SpoolError.badKey }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ImportFileError.unreadable("the uploaded file is gone")
            }
            self.handle = handle
            self.key = SymmetricKey(data: key)
            self.size = size
        }

        deinit { try? handle.close() }

        public func read(upToCount count: Int) throws -> [UInt8] {
            while position >= chunk.count {
                if sawLast { return [] }
                try openNextChunk()
            }
            let end = min(chunk.count, position + max(count, 1))
            defer { position = end }
            return Array(chunk[position..<end])
        }

        public func rewind() throws {
            do { try handle.seek(toOffset: 0) } catch { throw ImportFileError.unreadable(error.localizedDescription) }
            index = 0
            chunk = []
            position = 0
            sawLast = false
        }

        private func openNextChunk() throws {
            let damaged = ImportFileError.unreadable("the uploaded file is damaged (its sealed copy does not open)")
            let lengthBytes = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
            guard lengthBytes.count == 4 else { throw damaged }
            let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard length >= SealedSpool.tagCount, length <= SealedSpool.chunkSize + SealedSpool.tagCount else {
                throw damaged
            }
            let body = [UInt8]((try? handle.read(upToCount: length)) ?? Data())
            guard body.count == length else { throw damaged }
            let ciphertext = body.prefix(length - SealedSpool.tagCount)
            let tag = body.suffix(SealedSpool.tagCount)
            // The last chunk is marked in its associated data; try "not last" first, as all chunks but one are.
            for isLast in [false, true] {
                if let box = try? AES.GCM.SealedBox(nonce: SealedSpool.nonce(index), ciphertext: ciphertext, tag: tag),
                    let opened = try? AES.GCM.open(
                        box, using: key, authenticating: SealedSpool.associatedData(index: index, isLast: isLast))
                {
                    chunk = Array(opened)
                    position = 0
                    sawLast = isLast
                    index += 1
                    return
                }
            }
            throw damaged
        }
    }
}

public enum SpoolError: Error, CustomStringConvertible {
    case badKey
    case io(String)

    public var description: String {
        switch self {
        case .badKey: "a spool key must be 32 bytes"
        case .io(let reason): "the upload could not be written: \(reason)"
        }
    }
}
