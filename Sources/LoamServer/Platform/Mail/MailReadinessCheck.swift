import Fluent
import Foundation
import Vapor

/// Mail delivery: `degraded` (never `down`: Loam still works without mail) while mails wait after
/// failed attempts or were given up in the last hour.
struct MailReadinessCheck: ReadinessCheck {
    let name = "mail"
    let isEssential = false

    func check(_ app: Application) async -> ComponentReport {
        do {
            let since = app.clock.now().addingTimeInterval(-3600)
            let retrying = try await OutboxMail.query(on: app.db).filter(\.$state == .retrying).count()
            let failed = try await OutboxMail.query(on: app.db).filter(\.$state == .failed)
                // By field name: a `@Timestamp` key path binds an Optional, which SQLite stores as text.
                .filter("updated_at", .greaterThanOrEqual, since).count()
            if retrying + failed > 0 {
                return ComponentReport(
                    .degraded,
                    detail:
                        "mail delivery is failing: \(retrying) waiting to retry, \(failed) given up in the last hour")
            }
            return ComponentReport(.ok, detail: "delivery via \(app.mailTransport.name)")
        } catch {
            return ComponentReport(.degraded, detail: "mail delivery state unknown")
        }
    }
}
