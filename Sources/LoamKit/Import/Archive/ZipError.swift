/// The errors of reading a zip, all `ImportFileError`s so importers report them like any damaged file.
enum ZipError {
    static func damaged(_ what: String) -> ImportFileError { .unreadable("the zip archive is damaged: \(what)") }

    static var truncated: ImportFileError { .unreadable("the zip archive is cut short (an incomplete download?)") }

    static func entry(_ path: String, _ what: String) -> ImportFileError {
        .unreadable("\(path) in the zip archive \(what)")
    }
}
