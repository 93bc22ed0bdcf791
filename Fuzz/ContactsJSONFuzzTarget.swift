// fuzz target: json
/// libFuzzer target for the JSON export readers: the input as a whole file, from memory, read to its end by
/// `FacebookFriendsReader` and by `XFollowsReader`. Both stream through `JSONStream`; each refuses (`notThisFormat`)
/// an input that does not start as its export, so the corpus holds both kinds of start. Any `ImportFileError` from
/// `init` is a clear message, not a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func contactsJSONFuzzTarget(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    let readers: [(name: String, open: (any ImportByteSource) throws -> any ContactListReader)] = [
        ("FacebookFriendsReader", { try FacebookFriendsReader(source: $0) }),
        ("XFollowsReader", { try XFollowsReader(source: $0) }),
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
