import Fluent
import Foundation
import LoamKit
import Vapor

/// What `loam import` does once the application is up: each file into the user's own people, one after the other.
enum ImportCommandLine {
    /// `report` gets each file's summary (or the reason it could not be imported) as soon as that file is done.
    static func importFiles(
        _ app: Application, userEmail: String, format asked: ImportFormat?, myAddresses: [String], files: [String],
        progress: (@Sendable (_ file: String, _ done: Int64, _ total: Int64) -> Void)?,
        report: @escaping @Sendable (Result<ImportSummary, ImportError>) -> Void
    ) async throws -> Bool {
        guard let user = try await User.query(on: app.db).filter(\.$email == User.normalize(email: userEmail)).first()
        else {
            report(.failure(ImportError.cannotImport("No account uses \(userEmail).")))
            return false
        }
        var succeeded = true
        let service = app.imports(for: user)
        for file in files {
            let fileProgress: ImportService.Progress?
            if let progress {
                fileProgress = { done, total in progress(file, done, total) }
            } else {
                fileProgress = nil
            }
            do {
                let summary = try await service.importFile(
                    path: file, format: asked, myAddresses: Set(myAddresses), progress: fileProgress)
                report(.success(summary))
            } catch let error as ImportError {
                report(.failure(error))
                succeeded = false
            }
        }
        return succeeded
    }
}
