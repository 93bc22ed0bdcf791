import Fluent
import Foundation
import LoamKit

/// One file uploaded on the Imports page and its import, run as a background job.
///
/// The file's name and the summary are sealed under the owner's data key (a name like "therapist.mbox" says
/// something); so is the key of the upload's sealed spool (`SealedSpool`), which exists only until the import
/// has read it. Progress is plain numbers, so the page can show it without opening anything.
final class ImportRun: Model, @unchecked Sendable {
    static let schema = "import_runs"

    enum State: String, Codable, Sendable {
        /// Uploaded and sealed; waiting for a worker.
        case queued
        case running
        case done
        case failed
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "state") var state: State
    @OptionalField(key: "format") var format: String?
    @Field(key: "bytes_total") var bytesTotal: Int64
    @Field(key: "bytes_done") var bytesDone: Int64
    @Field(key: "sealed_file_name") var sealedFileName: Data
    @OptionalField(key: "sealed_summary") var sealedSummary: Data?
    @OptionalField(key: "sealed_spool_key") var sealedSpoolKey: Data?
    /// Loam's own words for why the import failed; never the file's content.
    @OptionalField(key: "failure") var failure: String?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    init(id: UUID, ownerID: UUID, format: String?, bytesTotal: Int64, sealedFileName: Data, sealedSpoolKey: Data) {
        self.id = id
        self.ownerID = ownerID
        self.state = .queued
        self.format = format
        self.bytesTotal = bytesTotal
        self.bytesDone = 0
        self.sealedFileName = sealedFileName
        self.sealedSpoolKey = sealedSpoolKey
    }

    static func context(_ column: String, runID: UUID, owner: OwnerID) -> FieldContext {
        FieldContext(table: schema, column: column, rowID: runID.uuidString.lowercased(), owner: owner)
    }
}

struct CreateImportRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ImportRun.schema)
            .id()
            .field("created_at", .datetime)
            .field("owner_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("format", .string)
            .field("bytes_total", .int64, .required)
            .field("bytes_done", .int64, .required)
            .field("sealed_file_name", .data, .required)
            .field("sealed_summary", .data)
            .field("sealed_spool_key", .data)
            .field("failure", .string)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ImportRun.schema).delete()
    }
}
