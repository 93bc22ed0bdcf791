import Vapor

/// Why an import did not happen, on the command line, the upload page and in a run's outcome alike. Each
/// `description` is a sentence for the user that names the file where there is one; nothing was imported
/// from a file that failed this way.
public enum ImportError: LoamError, Equatable, CustomStringConvertible {
    /// The file cannot start importing: missing, unreadable, of no format Loam reads, or not the format asked for.
    case cannotImport(String)
    /// The upload form's token was missing or wrong (checked as the form streams in).
    case formTokenRejected
    /// The upload stopped before the end of the form.
    case uploadIncomplete
    /// The form carried no file.
    case noFile
    /// Larger than `LOAM_IMPORT_UPLOAD_MAX_MB`.
    case tooLarge(megabytes: Int)
    /// The spool could not be written (a full disk, a folder Loam may not write).
    case notStored(reason: String)
    /// A run stopped by something other than the file: what was imported is kept.
    case serverError

    public var description: String {
        switch self {
        case .cannotImport(let sentence): sentence
        case .formTokenRejected: CSRFError().detail
        case .uploadIncomplete: "The upload did not arrive whole. Please choose the file and send it again."
        case .noFile: "Choose a file to import."
        case .tooLarge(let megabytes):
            "The file is larger than this server accepts (\(megabytes) MB). Import it with `loam import` on the server instead."
        case .notStored(let reason): "The upload could not be stored: \(reason)"
        case .serverError:
            "The import stopped because of a server error; what was imported is kept. Upload the file again to finish it."
        }
    }

    public var status: HTTPResponseStatus {
        switch self {
        case .cannotImport, .noFile: .unprocessableEntity
        case .formTokenRejected: .forbidden
        case .uploadIncomplete: .badRequest
        case .tooLarge: .payloadTooLarge
        case .notStored: .insufficientStorage
        case .serverError: .internalServerError
        }
    }

    public var problemType: ProblemType {
        self == .formTokenRejected ? .csrf : ProblemType.forStatus(status)
    }

    public var detail: String { description }
}
