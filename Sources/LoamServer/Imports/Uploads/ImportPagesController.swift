import Fluent
import Foundation
import LoamKit
import Vapor

/// The Imports page (`/imports`): upload an export, watch its import run in the background, read its summary.
/// A plain form and a page that refreshes itself (a `Refresh` header) while the import runs: no JavaScript.
struct ImportPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let imports = routes.grouped("imports").signedInPages(landing: "/imports")
        imports.get(use: listPage)
        // Streamed: the body may be gigabytes, read into a sealed spool as it arrives (`ImportUploadReceiver`).
        imports.on(.POST, body: .stream, use: upload)
        imports.get(":runID", use: runPage)
    }

    struct ListPage: Encodable {
        var runs: [RunRow]
        var maximumMegabytes: Int
        var error: String?
    }

    struct RunRow: Encodable {
        var id: String
        var fileName: String
        var format: String
        var state: String
        var stateLabel: String
        var percent: Int
        var size: String
        var startedAt: String
        var isActive: Bool
        var summary: SummaryView?
        var failure: String?
    }

    struct SummaryView: Encodable {
        var peopleCreated: Int
        var peopleUpdated: Int
        var identities: Int
        var interactions: Int
        var ignored: Int
        var skippedCount: Int
        var skipped: [ImportSummary.Skipped]
        var skippedShown: Int
    }

    struct RunPage: Encodable {
        var run: RunRow
    }

    @Sendable
    func listPage(request: Request) async throws -> Response {
        let uploads = try request.importUploads()
        return try await renderList(request, uploads, error: nil, status: .ok)
    }

    @Sendable
    func upload(request: Request) async throws -> Response {
        let uploads = try request.importUploads()
        do {
            let run = try await uploads.accept(request)
            return request.seeOther("/imports/\(try run.requireID())")
        } catch let error as ImportError where error != .formTokenRejected {
            return try await renderList(request, uploads, error: error.description, status: error.status)
        }
    }

    @Sendable
    func runPage(request: Request) async throws -> Response {
        let uploads = try request.importUploads()
        let run = try await uploads.run(request.parameters.get("runID").flatMap(UUID.init(uuidString:)))
        let row = try await Self.row(run, uploads, dates: PageDates(timeZone: uploads.user.timeZone))
        // While it runs, the page reloads itself every two seconds to show progress.
        let headers: HTTPHeaders = row.isActive ? ["Refresh": "2"] : [:]
        return try await request.renderPage(
            "imports/run", title: "Import of \(row.fileName)", RunPage(run: row), headers: headers)
    }

    private func renderList(_ request: Request, _ uploads: ImportUploads, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let dates = PageDates(timeZone: uploads.user.timeZone)
        var rows: [RunRow] = []
        for run in try await uploads.runs() { rows.append(try await Self.row(run, uploads, dates: dates)) }
        let page = ListPage(
            runs: rows, maximumMegabytes: request.application.loamConfiguration.importUploadMaxMegabytes, error: error)
        let headers: HTTPHeaders = rows.contains(where: \.isActive) ? ["Refresh": "2"] : [:]
        return try await request.renderPage("imports/list", title: "Imports", page, status: status, headers: headers)
    }

    static let skippedShown = 200

    static func row(_ run: ImportRun, _ uploads: ImportUploads, dates: PageDates) async throws -> RunRow {
        let (fileName, summary) = try await uploads.opened(run)
        let percent =
            run.bytesTotal > 0 ? Int(min(100, run.bytesDone * 100 / run.bytesTotal)) : (run.state == .done ? 100 : 0)
        let label: String =
            switch run.state {
            case .queued: "Waiting to start"
            case .running: "Importing… \(percent)%"
            case .done: "Done"
            case .failed: "Failed"
            }
        return RunRow(
            id: try run.requireID().uuidString, fileName: fileName,
            format: run.format.flatMap(ImportFormat.init(rawValue:)).map(ImportUploads.label) ?? "unknown",
            state: run.state.rawValue, stateLabel: label, percent: run.state == .done ? 100 : percent,
            size: ByteCountFormatter.string(fromByteCount: run.bytesTotal, countStyle: .file),
            startedAt: dates.format(run.createdAt),
            isActive: run.state == .queued || run.state == .running,
            summary: summary.map {
                SummaryView(
                    peopleCreated: $0.peopleCreated, peopleUpdated: $0.peopleUpdated, identities: $0.identities,
                    interactions: $0.interactions,
                    ignored: $0.ignored, skippedCount: $0.skipped.count,
                    skipped: Array($0.skipped.prefix(skippedShown)),
                    skippedShown: min(skippedShown, $0.skipped.count))
            },
            failure: run.failure)
    }
}
