/// What every fuzz target checks. A broken check is a crash to libFuzzer: it stops and keeps the input.
enum FuzzInput {
    static func check(_ condition: Bool, _ reason: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant broken: \(reason())") }
    }

    /// Reads a streaming reader to its end, checking what an import relies on: no error but `ImportFileError`
    /// (nothing else is caught by the importers), progress that never goes back nor past the size, no more
    /// records than bytes (a reader that stops advancing), and progress at the size once the reader is done.
    static func readToEnd<Item>(
        next: () throws -> Item?, bytesRead: () -> Int64, totalBytes: Int64, size: Int
    ) {
        check(totalBytes == Int64(size), "totalBytes \(totalBytes) for \(size) bytes")
        var records = 0
        var last: Int64 = 0
        do {
            while try next() != nil {
                records += 1
                check(records <= size + 1, "\(records) records from \(size) bytes")
                let now = bytesRead()
                check(now >= last && now <= totalBytes, "bytesRead went from \(last) to \(now) of \(totalBytes)")
                last = now
            }
        } catch is ImportFileError {
            // A whole-file error (truncated, unreadable) is a clear error for the user, not a crash.
            return
        } catch {
            check(false, "the reader threw \(error), which is not an ImportFileError")
        }
        check(bytesRead() == totalBytes, "the reader ended at byte \(bytesRead()) of \(totalBytes)")
    }
}
