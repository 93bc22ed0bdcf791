import Fluent
import Foundation
import LoamKit
import Vapor

extension LoamRuntime {
    /// `loam import`: each file into the user's own people, one after the other; `report` gets each
    /// file's summary (or the reason it could not be imported) as soon as that file is done.
    public static func importFiles(
        _ configuration: LoamConfiguration, userEmail: String, format: String?, myAddresses: [String], files: [String],
        progress: (@Sendable (_ file: String, _ done: Int64, _ total: Int64) -> Void)?,
        report: @escaping @Sendable (Result<ImportSummary, ImportError>) -> Void
    ) async throws -> Bool {
        let asked: ImportFormat?
        if let format {
            guard let parsed = ImportFormat(rawValue: format.lowercased()) else {
                report(.failure(ImportError.cannotImport("--format is one of \(ImportFormat.names)")))
                return false
            }
            asked = parsed
        } else {
            asked = nil
        }
        return try await runCommand(configuration) { app in
            try await ImportCommandLine.importFiles(
                app, userEmail: userEmail, format: asked, myAddresses: myAddresses, files: files, progress: progress,
                report: report)
        }
    }
}
