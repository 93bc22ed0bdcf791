import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an import reader's bytes come from: a file on disk, a sealed upload spool (`SealedSpool`), or bytes
/// in memory (tests and fuzzing). Readers pull fixed-size chunks, so memory stays bounded whatever the size.
public protocol ImportByteSource: AnyObject {
    /// The number of bytes the source holds, for progress.
    var size: Int64 { get }
    /// The next bytes, at most `count`; empty at the end. Errors are `ImportFileError`.
    func read(upToCount count: Int) throws -> [UInt8]
    /// Back to the first byte, for a reader that needs a second pass.
    func rewind() throws
}

/// A file, read through a `FileHandle`.
public final class FileByteSource: ImportByteSource {
    public let size: Int64
    private let handle: FileHandle
    private let path: String

    /// Throws `ImportFileError.unreadable` for a missing file, a folder, or a file that cannot be opened.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportFileError.unreadable("there is no file at \(path)")
        }
        guard !isDirectory.boolValue else { throw ImportFileError.unreadable("\(path) is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportFileError.unreadable("\(path) cannot be opened")
        }
        do {
            size = Int64(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            try? handle.close()
            throw ImportFileError.unreadable("\(path): \(error.localizedDescription)")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// One `read(2)` per chunk straight into the array: `FileHandle.read(upToCount:)` read 4 KiB a call into a
    /// `Data` that was then copied, which was a fifth of the mbox reader's time.
    public func read(upToCount count: Int) throws -> [UInt8] {
        let descriptor = handle.fileDescriptor
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: max(count, 0)) { buffer, initialized in
            initialized = 0
            while initialized < buffer.count {
                let got = systemRead(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if got > 0 {
                    initialized += got
                } else if got == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw ImportFileError.unreadable("\(path): \(String(cString: strerror(failure)))") }
        return bytes
    }

    public func rewind() throws {
        do { try handle.seek(toOffset: 0) } catch {
            throw ImportFileError.unreadable("\(path): \(error.localizedDescription)")
        }
    }

    /// Moves to byte `offset` (at most `size`), for readers that need random access (a zip's central directory).
    public func seek(to offset: Int64) throws {
        guard offset >= 0, offset <= size else {
            throw ImportFileError.unreadable("\(path): no byte \(offset) in a file of \(size)")
        }
        do { try handle.seek(toOffset: UInt64(offset)) } catch {
            throw ImportFileError.unreadable("\(path): \(error.localizedDescription)")
        }
    }
}

/// `read(2)`, named apart from `ImportByteSource.read(upToCount:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
    #else
        Darwin.read(descriptor, buffer, count)
    #endif
}

/// Bytes already in memory.
public final class ByteArraySource: ImportByteSource {
    private let bytes: [UInt8]
    private var position = 0
    public var size: Int64 { Int64(bytes.count) }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(upToCount count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + max(count, 0))
        defer { position = end }
        return Array(bytes[position..<end])
    }

    public func rewind() throws { position = 0 }

    /// Moves to byte `offset` (at most `size`).
    public func seek(to offset: Int64) throws {
        guard offset >= 0, offset <= size else {
            throw ImportFileError.unreadable("no byte \(offset) in \(size) bytes")
        }
        position = Int(offset)
    }
}
