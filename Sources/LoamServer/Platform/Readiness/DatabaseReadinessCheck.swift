import Fluent
import SQLKit
import Vapor

/// The database answers a trivial query within a couple of seconds.
struct DatabaseReadinessCheck: ReadinessCheck {
    let name = "database"
    let isEssential = true
    var timeout: Duration = .seconds(5)

    func check(_ app: Application) async -> ComponentReport {
        guard let sql = app.db as? any SQLDatabase else {
            return ComponentReport(.down, detail: "not an SQL database")
        }
        let answered = await withTimeout(timeout) {
            try await sql.raw("SELECT 1").run()
        }
        return answered ? ComponentReport(.ok) : ComponentReport(.down, detail: "the database does not answer")
    }
}

/// Runs `work` and reports whether it finished without error before `timeout`.
func withTimeout(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> Void) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            do {
                try await work()
                return true
            } catch {
                return false
            }
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
