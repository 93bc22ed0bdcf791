// fuzz target: vcard
/// libFuzzer target for `VCardReader`: the input as a whole file, from memory, read to its end.
@_cdecl("LLVMFuzzerTestOneInput")
public func vCardFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    let reader: VCardReader
    do {
        reader = try VCardReader(source: ByteArraySource(bytes))
    } catch ImportFileError.notThisFormat {
        FuzzInput.check(ImportFormat.detect(bytes) != .vcard, "VCardReader refused an input detect() calls vcard")
        return 0
    } catch {
        FuzzInput.check(false, "VCardReader.init threw \(error)")
        return 0
    }
    FuzzInput.readToEnd(next: reader.next, bytesRead: { reader.bytesRead }, totalBytes: reader.totalBytes, size: size)
    return 0
}
