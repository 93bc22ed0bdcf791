import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Accounts API")
struct AccountsAPITests {
    @Test("Sign-up: 202 with no account, token or cookie; the mailed link sets the password, confirms and signs in")
    func signUp() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let response = try await client.send(
                .POST, "/api/v1/accounts", body: ["email": "  Dana.Oster@Example.ORG ", "name": "Dana Oster"])
            #expect(response.status == .accepted)
            #expect(try client.object(response)["token"] == nil)
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.email == "dana.oster@example.org" && user.passwordHash == nil && !user.isVerified)

            let token = try #require(try await mailedToken(app, to: "dana.oster@example.org", prefix: "/verify-email/"))
            let verified = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": token, "password": APIClient.password])
            #expect(verified.status == .created)
            let bearer = try #require(try client.object(verified)["token"] as? String)
            let account = try client.object(try await client.send(.GET, "/api/v1/account", token: bearer))
            #expect(account["email_verified"] as? Bool == true)
            #expect(account["password"] == nil && account["password_hash"] == nil)
            _ = try await client.signIn("DANA.OSTER@example.org")
        }
    }

    @Test("Attack: a verification link works once, and not after 24 hours")
    func verificationLink() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            #expect(
                try await client.send(.POST, "/api/v1/accounts", body: ["email": "dana@example.org", "name": "Dana"])
                    .status == .accepted)
            #expect(
                try await client.send(.POST, "/api/v1/accounts", body: ["email": "eve@example.org", "name": "Eve"])
                    .status == .accepted)
            let mails = try await deliverMails(app)
            let dana = try #require(
                mails.first { $0.contains("dana@example.org") }.flatMap { link(in: $0, prefix: "/verify-email/") })
            let eve = try #require(
                mails.first { $0.contains("eve@example.org") }.flatMap { link(in: $0, prefix: "/verify-email/") })
            let first = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": dana.token, "password": APIClient.password])
            #expect(first.status == .created)
            let again = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": dana.token, "password": "another-good-one-7"])
            #expect(again.status == .gone)
            let forged = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": "forged", "password": "another-good-one-7"])
            #expect(forged.status == .gone)
            time.advance(by: 24 * 3600 + 1)
            let late = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": eve.token, "password": "another-good-one-7"])
            #expect(late.status == .gone)
            #expect(try await User.query(on: app.db).filter(\.$email == "eve@example.org").first()?.isVerified == false)
        }
    }

    @Test(
        "Weak passwords are refused with the reason, and the link still works",
        arguments: ["short", "password1", "Qwertyuiop", "dana@example.org", String(repeating: "x", count: 129)])
    func weakPasswords(password: String) async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            #expect(
                try await client.send(.POST, "/api/v1/accounts", body: ["email": "dana@example.org", "name": "Dana"])
                    .status == .accepted)
            let token = try #require(try await mailedToken(app, to: "dana@example.org", prefix: "/verify-email/"))
            let response = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": token, "password": password])
            #expect(response.status == .unprocessableEntity)
            #expect(try client.object(response)["type"] as? String == "/problems/weak-password")
            #expect(try await User.query(on: app.db).first()?.passwordHash == nil)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            let good = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": token, "password": APIClient.password])
            #expect(good.status == .created)
        }
    }

    @Test("Sign-in gives a bearer token whose expires_at is the absolute expiry; the API ignores cookies")
    func signIn() async throws {
        let (clock, _) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let response = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "DANA@example.org", "password": APIClient.password])
            #expect(response.status == .created)
            let body = try client.object(response)
            let token = try #require(body["token"] as? String)
            let expires = try #require(
                (body["expires_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expires.timeIntervalSince(clock.now()) - 30 * 86_400) < 2)
            #expect(try await client.send(.GET, "/api/v1/account", token: token).status == .ok)
            // The session cookie means nothing to the API.
            let cookie = try await client.send(.GET, "/api/v1/account", headers: ["Cookie": "loam_session=\(token)"])
            #expect(cookie.status == .unauthorized)
            // Only a hash of the token is stored.
            let stored = try #require(try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).first())
            #expect(stored.tokenHash != token && stored.tokenHash == SecureToken.hash(token))
        }
    }

    @Test("Attack: a wrong password and an unknown address get the same answer")
    func noEnumeration() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let wrong = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "not-her-password"])
            let unknown = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "nobody@example.org", "password": "not-her-password"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            var a = try client.object(wrong)
            var b = try client.object(unknown)
            a["request_id"] = nil
            b["request_id"] = nil
            #expect(NSDictionary(dictionary: a).isEqual(to: b))
        }
    }

    @Test(
        "Attack: after five failures each attempt waits longer (429, Retry-After), even with the right password; success resets"
    )
    func throttling() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            for _ in 0..<5 {
                let failed = try await client.send(
                    .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "guess-guess-1"])
                #expect(failed.status == .unauthorized)
            }
            let blocked = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: "Retry-After") == "1")
            time.advance(by: 1)
            #expect(
                try await client.send(
                    .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "guess-guess-2"]
                ).status == .unauthorized)
            let longer = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password])
            #expect(longer.headers.first(name: "Retry-After") == "2")
            time.advance(by: 2)
            _ = try await client.signIn("dana@example.org")
            #expect(try await SignInThrottleStore(clock: app.clock).failures("dana@example.org", on: app.db) == 0)
            let kinds = try await AuditEvent.query(on: app.db).all().map(\.kind)
            #expect(kinds.contains(.signInThrottled) && kinds.contains(.signInFailed) && kinds.contains(.signedIn))
        }
    }

    @Test("Attack: one address trying many accounts is capped per hour, before any password is checked")
    func addressCap() async throws {
        try await withLoamApp(adjust: { $0.signInFailuresPerAddressPerHour = 3 }) { app in
            let client = APIClient(app: app, method: .running(hostname: "127.0.0.1", port: 0))
            try await client.signUp("dana@example.org")
            for index in 0..<3 {
                let failed = try await client.send(
                    .POST, "/api/v1/sessions", body: ["email": "user\(index)@example.org", "password": "guess-guess-1"])
                #expect(failed.status == .unauthorized)
            }
            let capped = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password])
            #expect(capped.status == .tooManyRequests)
            #expect(capped.headers.first(name: "Retry-After") != nil)
        }
    }

    @Test("Attack: a session idle for 14 days, or 30 days old however active, no longer works")
    func expiry() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let idle = try await client.signIn("dana@example.org")
            time.advance(by: 13 * 86_400)
            #expect(try await client.send(.GET, "/api/v1/account", token: idle).status == .ok)
            time.advance(by: 14 * 86_400 + 60)
            #expect(try await client.send(.GET, "/api/v1/account", token: idle).status == .unauthorized)

            let active = try await client.signIn("dana@example.org")
            for _ in 0..<29 {
                time.advance(by: 86_400)
                #expect(try await client.send(.GET, "/api/v1/account", token: active).status == .ok)
            }
            time.advance(by: 86_400 + 60)
            #expect(try await client.send(.GET, "/api/v1/account", token: active).status == .unauthorized)
        }
    }

    @Test("Sessions: listed with the current one marked; revoked ones stop working; another user's id is 404")
    func sessions() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            try await client.signUp("eve@example.org", name: "Eve")
            let laptop = try await client.signIn("dana@example.org")
            let phone = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password],
                headers: ["User-Agent": "LoamPhone/1.0"])
            let phoneToken = try #require(try client.object(phone)["token"] as? String)
            let eve = try await client.signIn("eve@example.org")

            let listed = try client.object(try await client.send(.GET, "/api/v1/sessions", token: laptop))
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(items.contains { $0["device"] as? String == "LoamPhone/1.0" })
            let phoneID = try #require(items.first { $0["device"] as? String == "LoamPhone/1.0" }?["id"] as? String)

            // Eve cannot revoke Dana's session: 404, as if it did not exist.
            #expect(try await client.send(.DELETE, "/api/v1/sessions/\(phoneID)", token: eve).status == .notFound)
            #expect(try await client.send(.GET, "/api/v1/account", token: phoneToken).status == .ok)

            #expect(try await client.send(.DELETE, "/api/v1/sessions/\(phoneID)", token: laptop).status == .noContent)
            #expect(try await client.send(.GET, "/api/v1/account", token: phoneToken).status == .unauthorized)

            #expect(try await client.send(.DELETE, "/api/v1/sessions/current", token: laptop).status == .noContent)
            #expect(try await client.send(.GET, "/api/v1/account", token: laptop).status == .unauthorized)
            #expect(try await client.send(.GET, "/api/v1/account", token: eve).status == .ok)
        }
    }

    @Test("Changing the password needs the current one and signs out every other session")
    func passwordChange() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let here = try await client.signIn("dana@example.org")
            let elsewhere = try await client.signIn("dana@example.org")
            let wrong = try await client.send(
                .POST, "/api/v1/account/password",
                body: ["current_password": "nope-nope-nope", "new_password": "brand-new-secret-9"], token: here)
            #expect(wrong.status == .forbidden)
            #expect(try client.object(wrong)["type"] as? String == "/problems/reauthentication-required")
            let changed = try await client.send(
                .POST, "/api/v1/account/password",
                body: ["current_password": APIClient.password, "new_password": "brand-new-secret-9"], token: here)
            #expect(changed.status == .noContent)
            #expect(try await client.send(.GET, "/api/v1/account", token: here).status == .ok)
            #expect(try await client.send(.GET, "/api/v1/account", token: elsewhere).status == .unauthorized)
            _ = try await client.signIn("dana@example.org", password: "brand-new-secret-9")
        }
    }

    @Test(
        "Recovery answers 202 with the same body and one mail for any address; at most one a minute to an address (429)"
    )
    func recovery() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            _ = try await deliverMails(app)
            let known = try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "dana@example.org"])
            let unknown = try await client.send(
                .POST, "/api/v1/account/recovery", body: ["email": "nobody@example.org"])
            #expect(known.status == .accepted && unknown.status == .accepted)
            #expect(known.body.string == unknown.body.string)
            let again = try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "dana@example.org"])
            #expect(again.status == .tooManyRequests && again.headers.first(name: "Retry-After") == "60")
            var mails = try await deliverMails(app)
            #expect(mails.count == 2)
            #expect(mails.contains { $0.contains("<nobody@example.org>") && $0.contains("no Loam account uses it") })
            let reset = try #require(mails.compactMap { link(in: $0, prefix: "/reset-password/") }.first)

            // An hour later the link is dead.
            time.advance(by: 3601)
            await #expect(throws: AccountError.self) {
                _ = try await app.accounts.resetPassword(
                    token: reset.token, newPassword: "fresh-secret-77", context: .commandLine)
            }
            try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "dana@example.org"])
            mails = try await deliverMails(app)
            let fresh = try #require(mails.first.flatMap { link(in: $0, prefix: "/reset-password/") })
            let session = try await client.signIn("dana@example.org")
            _ = try await app.accounts.resetPassword(
                token: fresh.token, newPassword: "fresh-secret-77", context: .commandLine)
            // Used once only; resetting signed every session out.
            await #expect(throws: AccountError.self) {
                _ = try await app.accounts.resetPassword(
                    token: fresh.token, newPassword: "fresh-secret-78", context: .commandLine)
            }
            #expect(try await client.send(.GET, "/api/v1/account", token: session).status == .unauthorized)
            _ = try await client.signIn("dana@example.org", password: "fresh-secret-77")
        }
    }

    @Test("An account without a password is told how it signs in, with a link to set one")
    func recoveryWithoutPassword() async throws {
        try await withLoamApp { app in
            let user = User(email: "sso@example.org", name: "Sam", passwordHash: nil)
            user.emailVerifiedAt = app.clock.now()
            try await user.create(on: app.db)
            try await ExternalIdentity(
                userID: try user.requireID(), provider: "google", subject: "sam", email: "sso@example.org",
                now: app.clock.now()
            ).create(on: app.db)
            try await APIClient(app: app).send(.POST, "/api/v1/account/recovery", body: ["email": "sso@example.org"])
            let mails = try await deliverMails(app)
            #expect(mails.count == 1)
            #expect(mails.first?.contains("has no password") == true)
            #expect(mails.first.flatMap { link(in: $0, prefix: "/reset-password/") } != nil)

            // An account nobody finished setting up is told so: the link sets it up.
            try await User(email: "half@example.org", name: "Half", passwordHash: nil).create(on: app.db)
            try await APIClient(app: app).send(.POST, "/api/v1/account/recovery", body: ["email": "half@example.org"])
            let half = try #require(try await deliverMails(app).first)
            #expect(half.contains("not set up yet") && link(in: half, prefix: "/reset-password/") != nil)
        }
    }

    @Test("A restricted account is refused with its reason and how to recover; its sessions end; it gets a mail")
    func restriction() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            _ = try await deliverMails(app)
            let token = try await client.signIn("dana@example.org")
            let user = try #require(try await User.query(on: app.db).first())
            try await app.accounts.restrict(user, reason: .compromised, context: .commandLine)
            #expect(try await client.send(.GET, "/api/v1/account", token: token).status == .unauthorized)
            let refused = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password])
            #expect(refused.status == .forbidden)
            let body = try client.object(refused)
            #expect(body["type"] as? String == "/problems/account-restricted")
            #expect((body["detail"] as? String)?.contains("compromised") == true)
            #expect((body["detail"] as? String)?.contains("Reset your password") == true)
            let mails = try await deliverMails(app)
            #expect(mails.contains { $0.contains("restricted because of the account may be compromised") })

            try await app.accounts.unrestrict(user, context: .commandLine)
            _ = try await client.signIn("dana@example.org")
            let kinds = try await AuditEvent.query(on: app.db).all().map(\.kind)
            #expect(
                kinds.contains(.restricted) && kinds.contains(.unrestricted) && kinds.contains(.signInRefusedRestricted)
            )
        }
    }

    @Test("The audit log lists the user's own events only, newest first, with cursors")
    func auditLog() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            try await client.signUp("eve@example.org", name: "Eve")
            let dana = try await client.signIn("dana@example.org")
            _ = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "eve@example.org", "password": "wrong-wrong-1"])
            let page = try client.object(try await client.send(.GET, "/api/v1/account/audit?limit=1", token: dana))
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["kind"] as? String == "signed-in")
            let cursor = try #require(page["next_cursor"] as? String)
            let rest = try client.object(
                try await client.send(.GET, "/api/v1/account/audit?cursor=\(cursor)", token: dana))
            let older = try #require(rest["items"] as? [[String: Any]])
            #expect(
                older.map { $0["kind"] as? String } == ["signed-out", "signed-in", "email-verified", "account-created"])
            #expect(try await client.send(.GET, "/api/v1/account/audit").status == .unauthorized)
        }
    }
}
