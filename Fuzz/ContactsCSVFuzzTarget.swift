// fuzz target: csv
/// libFuzzer target for the contacts-CSV readers: the input as a whole file, from memory, read to its end by each of
/// `LinkedInConnectionsReader`, `GoogleContactsCSVReader` and `OutlookContactsCSVReader` in turn. They share
/// `CSVContactRows` (header search, row state machine, UTF-16 transcoding) but each maps columns its own way, and an
/// import picks the reader from the header, so any of the three may meet any bytes a user's file holds. A refusal
/// (`notThisFormat`) or any other `ImportFileError` from `init` is a clear message, not a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func contactsCSVFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    let readers: [(name: String, open: (any ImportByteSource) throws -> any ContactListReader)] = [
        ("LinkedInConnectionsReader", { try LinkedInConnectionsReader(source: $0) }),
        ("GoogleContactsCSVReader", { try GoogleContactsCSVReader(source: $0) }),
        ("OutlookContactsCSVReader", { try OutlookContactsCSVReader(source: $0) }),
    ]
    for (name, open) in readers {
        let reader: any ContactListReader
        do {
            reader = try open(ByteArraySource(bytes))
        } catch is ImportFileError {
            continue
        } catch {
            FuzzInput.check(false, "\(name).init threw \(error), which is not an ImportFileError")
            continue
        }
        FuzzInput.readToEnd(
            next: reader.next, bytesRead: { reader.bytesRead }, totalBytes: reader.totalBytes, size: size)
    }
    return 0
}
