/// One file or folder listed in a zip's central directory.
public struct ZipEntry: Sendable, Hashable {
    public enum Method: Sendable, Hashable {
        case stored
        case deflated
        /// Any other compression method number (bzip2 12, LZMA 14, zstd 93, WinZip AES 99…), which Loam does not read.
        case other(UInt16)
    }

    /// The path inside the archive with `/` separators, as its name field says (UTF-8, or CP 437 when the entry
    /// does not declare UTF-8 and its bytes are not UTF-8).
    public let path: String
    public let method: Method
    public let compressedSize: Int64
    /// The size the central directory declares; inflating past it is refused (a zip bomb or damage).
    public let uncompressedSize: Int64
    public let crc32: UInt32
    /// Encrypted (traditional PKWARE or strong encryption, or WinZip AES): Loam cannot open it.
    public let isEncrypted: Bool
    let localHeaderOffset: Int64

    /// A folder entry (its name ends with `/`).
    public var isDirectory: Bool { path.hasSuffix("/") }

    /// False for a path that is absolute, names a drive, or has a `..` component: such a name points outside
    /// the archive, is never produced by the services whose exports Loam reads, and is not opened.
    public var hasSafePath: Bool {
        if path.hasPrefix("/") || path.contains(":") { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }
}
