// fuzz target: zip
/// libFuzzer target for `ZipArchive`: the input as a whole archive, from memory; its entries listed, each opened and
/// read to its end (stored or inflated, CRC-checked). Only `ImportFileError` may be thrown (`ZipError` makes only
/// those). An input of odd length is read through a source that cannot seek, as an upload's sealed spool is, so the
/// archive's rewind-and-read-forward path is fuzzed too.
///
/// Checked: every listed entry took at least a 46-byte central-directory record; an entry's source says its declared
/// size; no entry yields more bytes than it declares (a zip bomb stops), and one read to its end without an error
/// yielded exactly its declared size. Reading stops after `outputBudget` bytes in all: an input of a few KB can list
/// hundreds of entries that all inflate the same megabytes, which is slow, not wrong.
@_cdecl("LLVMFuzzerTestOneInput")
public func zipFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    let source: any ImportByteSource = size % 2 == 1 ? ForwardOnlySource(bytes) : ByteArraySource(bytes)
    let archive: ZipArchive
    do {
        archive = try ZipArchive(source: source)
    } catch is ImportFileError {
        return 0
    } catch {
        FuzzInput.check(false, "ZipArchive.init threw \(error), which is not an ImportFileError")
        return 0
    }
    FuzzInput.check(archive.entries.count * 46 <= size, "\(archive.entries.count) entries listed in \(size) bytes")
    var budget = ZipFuzzLimits.outputBudget
    for entry in archive.entries where budget > 0 {
        let entrySource: any ImportByteSource
        do {
            entrySource = try archive.open(entry)
        } catch is ImportFileError {
            continue
        } catch {
            FuzzInput.check(false, "ZipArchive.open(\(entry.path)) threw \(error), which is not an ImportFileError")
            continue
        }
        FuzzInput.check(
            entrySource.size == entry.uncompressedSize,
            "\(entry.path): source size \(entrySource.size) of \(entry.uncompressedSize)")
        var produced: Int64 = 0
        do {
            while budget > 0 {
                let chunk = try entrySource.read(upToCount: 64 * 1024)
                if chunk.isEmpty { break }
                produced += Int64(chunk.count)
                budget -= chunk.count
                FuzzInput.check(
                    produced <= entry.uncompressedSize,
                    "\(entry.path): \(produced) bytes of \(entry.uncompressedSize) declared")
            }
        } catch is ImportFileError {
            continue
        } catch {
            FuzzInput.check(false, "reading \(entry.path) threw \(error), which is not an ImportFileError")
            continue
        }
        if budget > 0 {
            FuzzInput.check(
                produced == entry.uncompressedSize,
                "\(entry.path) ended after \(produced) of \(entry.uncompressedSize) bytes, no error")
        }
    }
    return 0
}

enum ZipFuzzLimits {
    /// Bytes read from all the entries of one input, at most (plus one chunk).
    static let outputBudget = 8 << 20
}

/// Bytes in memory that can only be read forward and rewound, like a sealed upload spool: not a `SeekableByteSource`.
final class ForwardOnlySource: ImportByteSource {
    private let bytes: ByteArraySource
    var size: Int64 { bytes.size }

    init(_ bytes: [UInt8]) { self.bytes = ByteArraySource(bytes) }

    func read(upToCount count: Int) throws -> [UInt8] { try bytes.read(upToCount: count) }

    func rewind() throws { try bytes.rewind() }
}
