import Fluent
import Foundation
import LoamKit
import Vapor

/// A new session's secret, shown once: to the browser as a cookie, to an API client in the response.
struct SessionToken: Sendable {
    var token: String
    var session: UserSession
}

/// Server-side sessions: created at sign-in, found by the hash of their token, ended by idle time,
/// absolute age or revocation.
///
/// It holds what it uses (a database, the clock, the two limits), not the application.
struct SessionStore: Sendable {
    let db: any Database
    let clock: LoamClock
    /// A session unused this long has ended (`LOAM_SESSION_IDLE_DAYS`).
    let idleLimit: TimeInterval
    /// A session this old has ended, however active (`LOAM_SESSION_MAX_DAYS`).
    let maxAge: TimeInterval

    init(db: any Database, clock: LoamClock, configuration: LoamConfiguration) {
        self.db = db
        self.clock = clock
        self.idleLimit = TimeInterval(configuration.sessionIdleDays) * 86_400
        self.maxAge = TimeInterval(configuration.sessionMaxDays) * 86_400
    }

    var now: Date { clock.now() }

    /// Always a new id and token: signing in never reuses an earlier session (no fixation).
    func create(for user: User, context: ClientContext, on database: any Database) async throws -> SessionToken {
        let (token, hash) = SecureToken.generate()
        let session = UserSession(
            userID: try user.requireID(), tokenHash: hash, now: now, expiresAt: now.addingTimeInterval(maxAge),
            clientAddress: context.address, device: context.device)
        try await session.create(on: database)
        return SessionToken(token: token, session: session)
    }

    /// The live session and its user for `token`, refreshing its last use; nil when the token is
    /// unknown, revoked, idle too long, past its absolute expiry, or its account is restricted.
    func authenticate(token: String) async throws -> (UserSession, User)? {
        guard SecureToken.isWellFormed(token),
            let session = try await UserSession.query(on: db).filter(\.$tokenHash == SecureToken.hash(token))
                .with(\.$user).first()
        else { return nil }
        guard isLive(session), session.user.restriction == nil else { return nil }
        // Writing on every request would make reads writes; a minute's precision is plenty for idle expiry.
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await db.serializedWrite { try await session.save(on: db) }
        }
        return (session, session.user)
    }

    func isLive(_ session: UserSession) -> Bool {
        session.revokedAt == nil && session.expiresAt > now && now.timeIntervalSince(session.lastSeenAt) < idleLimit
    }

    func revoke(_ session: UserSession, on database: any Database) async throws {
        session.revokedAt = now
        try await session.save(on: database)
    }

    /// Revokes every live session of `user` but `keep`; returns how many.
    @discardableResult
    func revokeAll(of user: User, except keep: UUID?, on database: any Database) async throws -> Int {
        var query = UserSession.query(on: database).filter(\.$user.$id == (try user.requireID())).filter(
            \.$revokedAt == nil)
        if let keep { query = query.filter(\.$id != keep) }
        let sessions = try await query.all()
        for session in sessions {
            session.revokedAt = now
            try await session.save(on: database)
        }
        return sessions.count
    }

    /// The user's live sessions, newest first.
    func live(of user: User) async throws -> [UserSession] {
        try await UserSession.query(on: db).filter(\.$user.$id == (try user.requireID())).filter(
            \.$revokedAt == nil
        )
        .sort(\.$lastSeenAt, .descending).all().filter(isLive)
    }
}

extension Application {
    /// The sessions, outside a request.
    var sessionStore: SessionStore { SessionStore(db: db, clock: clock, configuration: loamConfiguration) }
}

extension Request {
    /// The sessions, on this request's database.
    var sessionStore: SessionStore {
        SessionStore(db: db, clock: application.clock, configuration: application.loamConfiguration)
    }
}
