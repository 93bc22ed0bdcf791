import Fluent
import Foundation
import LoamKit
import LoamServer
import Logging
import SQLKit
import Testing
import Vapor

/// The PostgreSQL server `scripts/test` started, when this run is the PostgreSQL pass.
let testPostgresURL: String? = ProcessInfo.processInfo.environment["LOAM_TEST_DATABASE_URL"].flatMap {
    $0.isEmpty ? nil : $0
}

/// Creates, configures and migrates an application with a database of its own, runs `body`,
/// then shuts it down. SQLite runs in memory; PostgreSQL gets a fresh schema that is dropped
/// afterwards, so tests run in parallel without meeting.
func withLoamApp(
    adjust: (inout LoamConfiguration) -> Void = { _ in },
    logs: LogCapture? = nil,
    clock: LoamClock? = nil,
    migrate: Bool = true,
    routes: (Application) throws -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    app.logger = logs?.logger() ?? quietLogger()
    if let clock { app.clock = clock }
    let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    var configuration = LoamConfiguration(
        dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("loam-\(UUID().uuidString)").path,
        database: testPostgresURL.map { .postgres(url: $0, schema: schema) } ?? .sqliteInMemory,
        masterKey: .provided(MasterKey.generate()),
        // Cheap hashing keeps the suites fast; LoamKit's tests run the real 600,000 once.
        passwordIterations: 1_000, allowInsecurePasswordIterations: true,
        // Tests drive jobs themselves (runNext, drain) or start the worker explicitly.
        runsWorker: false)
    adjust(&configuration)
    do {
        try await configure(app, configuration)
        try routes(app)
        if migrate { try await app.autoMigrate() }
        try await body(app)
    } catch {
        await tearDown(app, configuration: configuration)
        throw error
    }
    await tearDown(app, configuration: configuration)
}

private func tearDown(_ app: Application, configuration: LoamConfiguration) async {
    if case .postgres(_, let schema?) = configuration.database, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
}

private func quietLogger() -> Logger {
    var logger = Logger(label: "loam.test") { label in
        RedactingLogHandler(StreamLogHandler.standardError(label: label))
    }
    logger.logLevel = .error
    return logger
}
