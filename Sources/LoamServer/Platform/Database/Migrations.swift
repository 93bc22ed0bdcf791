import Fluent
import Vapor

/// Every migration, in the order it runs. Migrations are never edited once landed: add a new one.
func registerMigrations(_ app: Application) {
    app.migrations.add(CreateDataKeys())
    app.migrations.add(CreateJobs())
    app.migrations.add(CreateOutboxMails())
    app.migrations.add(CreateUsers())
    app.migrations.add(CreateAccountTokens())
    app.migrations.add(CreateAuditEvents())
    app.migrations.add(CreateSignInFailures())
    app.migrations.add(CreateSessions())
    app.migrations.add(CreateExternalIdentities())
    app.migrations.add(CreatePreAuthentications())
    app.migrations.add(CreatePeople())
    app.migrations.add(CreatePersonGroups())
    app.migrations.add(CreateInteractions())
    app.migrations.add(CreatePersonMerges())
    app.migrations.add(CreateSearchTokens())
    app.migrations.add(CreateWorkspaces())
    app.migrations.add(CreateInvitations())
    app.migrations.add(CreateWorkspaceSharing())
    app.migrations.add(CreateImportRuns())
    app.migrations.add(MoveSearchTokensToEntries())
    app.migrations.add(MoveSubjectTokensToInteractions())
    app.migrations.add(CreateRateLimits())
    app.migrations.add(CreateSignInThrottles())
}
