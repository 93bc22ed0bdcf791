// fuzz target: mbox
/// libFuzzer target for the mail import. An input that `ImportFormat.detect` takes for an mbox is read to its end by
/// `MboxReader`, from memory; an odd first byte picks a small chunk size from the rest of that byte, so chunk edges
/// fall everywhere in short inputs too. Any other input goes, as one header value, through the header pieces the
/// reader uses (raw and RFC 2047 text, address lists, dates), which then need no "From " line to be reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func mboxFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    guard ImportFormat.detect(bytes) == .mbox else {
        let text = MailHeaderText.decodeRaw(bytes.prefix(2048))
        _ = MailHeaderText.decodeEncodedWords(text)
        _ = MailAddressList.parse(text)
        _ = MailDate.parse(text)
        _ = MailHeaderParser.messageIDs(text)
        _ = MailHeaderParser.labels(text)
        return 0
    }
    let chunkSize = bytes[0] & 1 == 1 ? 16 + Int(bytes[0] >> 1) : MboxReader.chunkSize
    let reader: MboxReader
    do {
        reader = try MboxReader(source: ByteArraySource(bytes), chunkSize: chunkSize)
    } catch {
        FuzzInput.check(false, "MboxReader.init threw \(error) for an input detect() calls mbox")
        return 0
    }
    FuzzInput.readToEnd(next: reader.next, bytesRead: { reader.bytesRead }, totalBytes: reader.totalBytes, size: size)
    return 0
}
