import Fluent
import Vapor

/// People: the people a user knows, their identities, groups, notes, interactions and merges, and the
/// blind-index tokens that find them.
struct PeopleFeature: LoamFeature {
    var migrations: [any Migration] {
        [
            CreatePeople(), CreatePersonGroups(), CreateInteractions(), CreatePersonMerges(), CreateSearchTokens(),
            MoveSearchTokensToEntries(), MoveSubjectTokensToInteractions(), SealIdentityValues(), AddInteractionRoles(),
        ]
    }

    func registerJobs(on jobs: JobQueue, app: Application) {
        jobs.register(SealPeopleRecordsJob(keyring: app.keyring, jobs: jobs))
    }

    func registerRoutes(_ app: Application) throws {
        try app.register(collection: PeopleAPIController())
        try app.register(collection: InteractionsAPIController())
        try app.register(collection: DuplicatesAPIController())
        try app.register(collection: GroupsAPIController())
        try app.register(collection: PeoplePagesController())
    }
}
