import AsyncHTTPClient
import Fluent
import Foundation
import LoamKit
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// The attacks of Step 10, each performed as written: every test here failed before its fix.
@Suite("Account attacks")
struct AccountAttackTests {
    // MARK: 1. Accounts only their mailbox's owner can hold

    @Test("Attack: sign-up with someone else's address creates no password, no session and nothing to sign in with")
    func signUpHoldsNoCredential() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let response = try await client.send(
                .POST, "/api/v1/accounts",
                body: ["email": "ceo@victim.example", "name": "Mallory", "password": APIClient.password])
            #expect(response.status == .accepted)
            #expect(response.headers.setCookie == nil)
            let body = try client.object(response)
            #expect(body["token"] == nil && body["id"] == nil)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "ceo@victim.example").first())
            #expect(user.passwordHash == nil && !user.isVerified)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            let signIn = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "ceo@victim.example", "password": APIClient.password])
            #expect(signIn.status == .unauthorized)
        }
    }

    @Test(
        "Attack: a reset from the owner removes the attacker's provider and sessions; the provider no longer signs in")
    func resetRemovesAttackersProvider() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let user = User(email: "ceo@victim.example", name: "Mallory", passwordHash: nil)
            try await user.create(on: app.db)
            let attacker = try await plantFoothold(app, on: user)
            #expect(
                try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "ceo@victim.example"]).status
                    == .accepted)
            let token = try #require(try await mailedToken(app, to: "ceo@victim.example", prefix: "/reset-password/"))
            _ = try await app.accounts.resetPassword(
                token: token, newPassword: "owner-chosen-pass-9", context: .commandLine)

            #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
            #expect(try await client.send(.GET, "/api/v1/account", token: attacker.token).status == .unauthorized)
            let owner = try #require(try await User.query(on: app.db).first())
            #expect(owner.isVerified)
            _ = try await client.signIn("ceo@victim.example", password: "owner-chosen-pass-9")
        }
    }

    @Test(
        "Attack: the confirmation link on an account with a planted provider and session removes both, then sets the password"
    )
    func confirmationRemovesEarlierMethods() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            #expect(
                try await client.send(
                    .POST, "/api/v1/accounts", body: ["email": "ceo@victim.example", "name": "Mallory"]
                ).status == .accepted)
            let user = try #require(try await User.query(on: app.db).first())
            let attacker = try await plantFoothold(app, on: user)
            let token = try #require(try await mailedToken(app, to: "ceo@victim.example", prefix: "/verify-email/"))
            let verified = try await client.send(
                .POST, "/api/v1/accounts/verify", body: ["token": token, "password": "owner-chosen-pass-9"])
            #expect(verified.status == .created)
            #expect(try await ExternalIdentity.query(on: app.db).count() == 0)
            #expect(try await client.send(.GET, "/api/v1/account", token: attacker.token).status == .unauthorized)
            #expect(try await User.query(on: app.db).first()?.isVerified == true)
        }
    }

    @Test(
        "Private: addresses tried at sign-in and \"Can't sign in?\" that have no account are nowhere in the SQLite file or its WAL"
    )
    func triedAddressesNotStored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loam-tried-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("loam.sqlite").path
        let marker = "triedmarker\(UUID().uuidString.prefix(8).lowercased())"
        try await withLoamApp(adjust: { $0.database = .sqlite(path: database) }) { app in
            try await triedAddresses(app, marker: marker)
            var everything = ""
            for file in [database, database + "-wal"] {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                everything += String(decoding: bytes, as: UTF8.self)
            }
            #expect(!everything.contains(marker))
            // The check reads the real storage: the account's own address is there.
            #expect(everything.contains("dana@example.org"))
        }
    }

    @Test(
        "Private: a PostgreSQL dump holds no address tried that has no account",
        .enabled(if: testPostgresURL != nil && ProcessInfo.processInfo.environment["LOAM_TEST_PG_DUMP"] != nil))
    func triedAddressesNotInDump() async throws {
        let marker = "triedmarker\(UUID().uuidString.prefix(8).lowercased())"
        try await withLoamApp { app in
            try await triedAddresses(app, marker: marker)
            let dump = try ImportFixtures.postgresDump(app)
            #expect(dump.contains("dana@example.org"))
            #expect(!dump.contains(marker))
        }
    }

    /// Sign-ins, recoveries and a sign-in throttle for addresses with no account, each holding `marker`.
    private func triedAddresses(_ app: Application, marker: String) async throws {
        let client = APIClient(app: app)
        try await client.signUp("dana@example.org")
        for index in 0..<7 {
            _ = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "\(marker)@example.org", "password": "guess-\(index)-guess"])
        }
        #expect(
            try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "\(marker)2@example.org"]).status
                == .accepted)
        #expect(try await SignInThrottleStore(clock: app.clock).failures("\(marker)@example.org", on: app.db) >= 5)
    }

    @Test("Attack: an unconfirmed account cannot link a provider, change its address, add a password or invite")
    func unconfirmedCannotActOnSecurity() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let token = try await unconfirmedAccountThroughCopiedLink(app, client, invitee: "ceo@victim.example")
            let account = try client.object(try await client.send(.GET, "/api/v1/account", token: token))
            #expect(account["email_verified"] as? Bool == false)
            let change = try await client.send(
                .POST, "/api/v1/account/email",
                body: ["new_email": "x@stranger.example", "current_password": APIClient.password], token: token)
            #expect(change.status == .forbidden)
            let password = try await client.send(
                .POST, "/api/v1/account/password",
                body: ["current_password": APIClient.password, "new_password": "another-pass-77"],
                token: token)
            #expect(password.status == .forbidden)
            let space = try await client.send(.POST, "/api/v1/workspaces", body: ["name": "Fake board"], token: token)
            if space.status == .created, let id = try client.object(space)["id"] as? String {
                #expect(try await client.invite("cfo@victim.example", to: id, token: token).status == .forbidden)
            }
            let mails = try await deliverMails(app)
            #expect(!mails.contains { $0.contains("A sign-in method was added") })
            #expect(!mails.contains { $0.contains("x@stranger.example") })
        }
    }

    // MARK: 2. Invitation links

    @Test("Attack: the copyable invitation link makes only an unconfirmed account; the mail's link confirms")
    func copiedInvitationLinkDoesNotConfirm() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            _ = try await unconfirmedAccountThroughCopiedLink(app, client, invitee: "ceo@victim.example")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "ceo@victim.example").first())
            #expect(!user.isVerified)
        }
    }

    @Test("The invitation mail's link carries a proof the inviter never sees, and it confirms the new account")
    func mailedInvitationLinkConfirms() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let (copied, mailed) = try await invitation(app, client, invitee: "new@example.org")
            #expect(mailed.hasPrefix(copied + "."))
            let browser = PageBrowser(app)
            try await browser.get(mailed)
            let joined = try await browser.post(
                mailed + "/sign-up", ["name": "Newcomer", "password": "newcomer-pass-31"])
            #expect(joined.status == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "new@example.org").first())
            #expect(user.isVerified)
            // A forged proof opens nothing.
            #expect(try await browser.get(copied + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status == .notFound)
        }
    }

    @Test("Attack: the copyable link's page does not tell whether the invited address has an account")
    func invitationPageTellsNothing() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("taken@example.org")
            let (takenLink, _) = try await invitation(app, client, invitee: "taken@example.org", workspaceName: "One")
            let (freeLink, _) = try await invitation(
                app, client, invitee: "free@example.org", workspaceName: "Two", inviter: false)
            let taken = try await PageBrowser(app).get(takenLink).body.string
            let free = try await PageBrowser(app).get(freeLink).body.string
            func shape(_ html: String) -> [String] {
                ["/sign-up\"", "Sign in as", "already has a Loam account", "Create account and join"].map {
                    html.contains($0) ? $0 : "-"
                }
            }
            #expect(shape(taken) == shape(free))
            #expect(!taken.contains("already has a Loam account"))
        }
    }

    // MARK: 3. Mail nobody can make Loam send without limit

    @Test("Attack: 20 verification requests send 1 mail, then 429 with Retry-After; 5 an hour at most")
    func verificationMailLimited() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            let token = try await unconfirmedAccountThroughCopiedLink(app, client, invitee: "ceo@victim.example")
            _ = try await deliverMails(app)
            time.advance(by: 61)
            var statuses: [HTTPStatus] = []
            for _ in 0..<20 {
                statuses.append(try await client.send(.POST, "/api/v1/account/verification", token: token).status)
            }
            #expect(statuses.filter { $0 == .accepted }.count == 1)
            let limited = try await client.send(.POST, "/api/v1/account/verification", token: token)
            #expect(limited.status == .tooManyRequests && limited.headers.first(name: "Retry-After") != nil)
            var sent = 1
            for _ in 0..<10 {
                time.advance(by: 61)
                if try await client.send(.POST, "/api/v1/account/verification", token: token).status == .accepted {
                    sent += 1
                }
            }
            #expect(sent <= 5)
            #expect(try await deliverMails(app).count == sent)
        }
    }

    @Test("Attack: 15 address changes to a stranger's address send 1 mail, then 429 with Retry-After")
    func addressChangeMailLimited() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            var statuses: [HTTPStatus] = []
            for _ in 0..<15 {
                let response = try await client.send(
                    .POST, "/api/v1/account/email", body: ["new_email": "stranger@elsewhere.example"], token: token)
                statuses.append(response.status)
                if response.status == .tooManyRequests { #expect(response.headers.first(name: "Retry-After") != nil) }
            }
            #expect(statuses.first == .accepted && statuses.dropFirst().allSatisfy { $0 == .tooManyRequests })
            #expect(try await deliverMails(app).filter { $0.contains("<stranger@elsewhere.example>") }.count == 1)
        }
    }

    @Test("Attack: a name placed in a mail is cut to 100 characters and quoted, never part of our sentences")
    func namesInMailAreSetApart() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            let name =
                "URGENT: wire $5000 to account 12345 today or your account is closed "
                + String(repeating: "x", count: 100)
            let response = try await client.send(
                .POST, "/api/v1/accounts", body: ["email": "stranger@example.org", "name": name])
            #expect(response.status == .accepted)
            let mail = try #require(try await deliverMails(app).first)
            #expect(mail.contains("Hello \u{201C}URGENT: wire $5000"))
            #expect(!mail.contains(String(repeating: "x", count: 40)))
            // The cut name ends in "…", so the header carries it as RFC 2047 encoded words.
            let to = try #require(mail.components(separatedBy: "\r\n").first { $0.hasPrefix("To: ") })
            #expect(to.hasPrefix("To: =?utf-8?B?"))
            let plain = try await deliverMailsAfterSignUp(app, email: "plain@example.org", name: "Wire the money now")
            #expect(plain.contains("To: \"Wire the money now\" <plain@example.org>"))
        }
    }

    // MARK: 4. Throttles that hold under parallel requests

    @Test(
        "Attack: 30 parallel wrong passwords give 5 × 401 and the rest 429; the right password in the burst does not get in"
    )
    func parallelGuessesThrottled() async throws {
        let (clock, _) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let server = try await RunningServer(app)
            let statuses = try await server.postAtOnce("/api/v1/sessions", count: 31) { index in
                ["email": "dana@example.org", "password": index == 30 ? APIClient.password : "wrong-guess-\(index)"]
            }
            await server.close()
            #expect(!statuses.contains { $0 >= 500 })
            #expect(statuses.filter { $0 == 401 }.count <= 5)
            #expect(statuses.filter { $0 == 429 }.count >= 25)
            let failures = try await SignInThrottleStore(clock: app.clock).failures("dana@example.org", on: app.db)
            #expect(failures >= 5)
        }
    }

    @Test("Attack: 60 parallel failures from one address against a cap of 50: 50 × 401, 10 × 429, no 500, 50 recorded")
    func parallelAddressCap() async throws {
        try await withLoamApp { app in
            let server = try await RunningServer(app)
            let statuses = try await server.postAtOnce("/api/v1/sessions", count: 60) { index in
                ["email": "nobody\(index)@example.org", "password": "wrong-guess-1"]
            }
            await server.close()
            #expect(statuses.filter { $0 == 401 }.count == 50)
            #expect(statuses.filter { $0 == 429 }.count == 10)
            let recorded = try await app.db.sql().raw(
                "SELECT COUNT(*) AS n FROM rate_limit_events WHERE name = \(bind: "sign-in-failures-from:127.0.0.1")"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(recorded == 50)
        }
    }

    @Test("Attack: a sign-in beyond the hashing bound answers 503 with Retry-After, never 500, and counts for nothing")
    func hashingBound() async throws {
        try await withLoamApp(adjust: { $0.passwordHashQueue = 1 }) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            // Every slot taken, as a burst would take them: deterministic, where racing real hashes is not.
            #expect(app.passwordService.admission.enter())
            let busy = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "wrong-guess-1"])
            #expect(busy.status == .serviceUnavailable && busy.headers.first(name: "Retry-After") == "2")
            let page = PageBrowser(app)
            let busyPage = try await page.signIn("dana@example.org")
            #expect(busyPage.status == .serviceUnavailable && busyPage.headers.first(name: "Retry-After") == "2")
            #expect(try await SignInThrottleStore(clock: app.clock).failures("dana@example.org", on: app.db) == 0)
            app.passwordService.admission.leave()
            let wrong = try await client.send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": "wrong-guess-1"])
            #expect(wrong.status == .unauthorized)
            _ = try await client.signIn("dana@example.org")
        }
    }

    // MARK: 5. Who has an account cannot be told

    @Test("Attack: sign-up, recovery and the sixth failure answer alike for a taken and a new address")
    func noEnumeration() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let taken = try await client.send(
                .POST, "/api/v1/accounts", body: ["email": "dana@example.org", "name": "Eve"])
            let fresh = try await client.send(
                .POST, "/api/v1/accounts", body: ["email": "new@example.org", "name": "Eve"])
            #expect(taken.status == .accepted && fresh.status == .accepted)
            #expect(taken.body.string == fresh.body.string)
            let notice = try #require(try await deliverMails(app).first { $0.contains("<dana@example.org>") })
            #expect(notice.contains("Someone tried to create a Loam account") && !notice.contains("/verify-email/"))
            time.advance(by: 61)

            let known = try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "dana@example.org"])
            let unknown = try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "ghost@example.org"])
            #expect(known.status == unknown.status && known.body.string == unknown.body.string)
            let mails = try await deliverMails(app)
            #expect(mails.filter { $0.contains("<dana@example.org>") }.count == 1)
            #expect(mails.filter { $0.contains("<ghost@example.org>") }.count == 1)

            for email in ["dana@example.org", "ghost2@example.org"] {
                var statuses: [HTTPStatus] = []
                for _ in 0..<6 {
                    statuses.append(
                        try await client.send(
                            .POST, "/api/v1/sessions", body: ["email": email, "password": "wrong-guess-9"]
                        ).status)
                }
                #expect(statuses == Array(repeating: .unauthorized, count: 5) + [.tooManyRequests])
            }
        }
    }

    @Test("Attack: an address change to a taken address answers 202 and mails that address's owner, with no link")
    func emailChangeToTakenAddress() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("owner@example.org", name: "Owner")
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            let response = try await client.send(
                .POST, "/api/v1/account/email", body: ["new_email": "owner@example.org"], token: token)
            #expect(response.status == .accepted)
            let mails = try await deliverMails(app)
            let toOwner = try #require(mails.first { $0.contains("<owner@example.org>") })
            #expect(toOwner.contains("Someone tried to move") && !toOwner.contains("/confirm-email/"))
        }
    }

    // MARK: 6. Password guesses from inside a session

    @Test(
        "Attack: wrong current passwords count as failed sign-ins: 429 after five, audited, and the right one is then refused"
    )
    func currentPasswordGuessesThrottled() async throws {
        // The clock stands still, so the back-off cannot run out between requests on a loaded machine.
        let (clock, _) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            var statuses: [HTTPStatus] = []
            for index in 0..<8 {
                statuses.append(
                    try await client.send(
                        .POST, "/api/v1/account/password",
                        body: ["current_password": "guess-\(index)-guess", "new_password": "taken-over-pass-1"],
                        token: token
                    ).status)
            }
            #expect(Array(statuses.prefix(5)) == Array(repeating: .forbidden, count: 5))
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests })
            let right = try await client.send(
                .POST, "/api/v1/account/password",
                body: ["current_password": APIClient.password, "new_password": "taken-over-pass-1"],
                token: token)
            #expect(right.status == .tooManyRequests)
            let failures = try await AuditEvent.query(on: app.db).filter(\.$kind == .signInFailed).count()
            #expect(failures == 5)
        }
    }

    // MARK: 7. Links end with an address or password change

    @Test("Attack: a reset link mailed to the old address stops working after the address changes")
    func resetLinkEndsWithAddressChange() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@old.example")
            let token = try await client.signIn("dana@old.example")
            #expect(
                try await client.send(.POST, "/api/v1/account/recovery", body: ["email": "dana@old.example"]).status
                    == .accepted)
            let reset = try #require(try await mailedToken(app, to: "dana@old.example", prefix: "/reset-password/"))
            #expect(
                try await client.send(
                    .POST, "/api/v1/account/email", body: ["new_email": "dana@new.example"], token: token
                ).status == .accepted)
            let confirm = try #require(try await mailedToken(app, to: "dana@new.example", prefix: "/confirm-email/"))
            #expect(
                try await client.send(.POST, "/api/v1/account/email/confirm", body: ["token": confirm]).status == .ok)
            await #expect(throws: AccountError.self) {
                _ = try await app.accounts.resetPassword(
                    token: reset, newPassword: "stolen-pass-word-1", context: .commandLine)
            }
            // The undo link sent to the old address still works.
            let undo = try #require(try await mailedToken(app, to: "dana@old.example", prefix: "/undo-email-change/"))
            #expect(try await client.send(.POST, "/api/v1/account/email/undo", body: ["token": undo]).status == .ok)
        }
    }

    // MARK: Helpers

    /// What an attacker leaves on an account whose mailbox nobody proved: their provider identity and a live session.
    private func plantFoothold(_ app: Application, on user: User) async throws -> SessionToken {
        try await ExternalIdentity(
            userID: try user.requireID(), provider: "google", subject: "attacker-subject", email: user.email,
            now: app.clock.now()
        ).create(on: app.db)
        return try await app.db.writeTransaction { tx in
            try await app.sessionStore.create(for: user, context: .commandLine, on: tx)
        }
    }

    /// Signs `email` up under `name` and returns the mail it got.
    private func deliverMailsAfterSignUp(_ app: Application, email: String, name: String) async throws -> String {
        let response = try await APIClient(app: app).send(
            .POST, "/api/v1/accounts", body: ["email": email, "name": name])
        #expect(response.status == .accepted)
        return try #require(try await deliverMails(app).first)
    }

    /// An invitation for `invitee` from a confirmed inviter: the copyable link's path and the mail's.
    private func invitation(
        _ app: Application, _ client: APIClient, invitee: String, workspaceName: String = "Board", inviter: Bool = true
    ) async throws -> (copied: String, mailed: String) {
        let email = inviter ? "inviter@example.org" : "inviter2@example.org"
        let owner = try await client.verifiedUser(email, name: "Ivy")
        let workspace = try await client.workspace(workspaceName, token: owner)
        let invited = try await client.invite(invitee, to: workspace, token: owner)
        #expect(invited.status == .created, "\(invited.body.string)")
        let copiedURL = try #require(try client.object(invited)["link"] as? String)
        let copied = try #require(URL(string: copiedURL)?.path)
        let mail = try #require(try await deliverMails(app).first { $0.contains("<\(invitee)>") })
        let mailed = try #require(invitationPath(in: mail))
        return (copied, mailed)
    }

    /// Joins through the copyable link with a new account, as someone who never saw the mailbox; returns a bearer token.
    private func unconfirmedAccountThroughCopiedLink(_ app: Application, _ client: APIClient, invitee: String)
        async throws -> String
    {
        let (copied, _) = try await invitation(app, client, invitee: invitee)
        let browser = PageBrowser(app)
        try await browser.get(copied)
        let joined = try await browser.post(copied + "/sign-up", ["name": "Mallory", "password": APIClient.password])
        #expect(joined.status == .seeOther, "\(joined.body.string)")
        return try await client.signIn(invitee)
    }
}

/// The application listening on a loopback port, for requests sent in parallel over real sockets.
struct RunningServer: Sendable {
    let app: Application
    let port: Int
    let client: HTTPClient

    init(_ app: Application) async throws {
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        self.app = app
        self.port = try #require(app.http.server.shared.localAddress?.port)
        // The shared client needs no shutdown, so a test that fails half-way cannot crash the run.
        self.client = HTTPClient.shared
    }

    /// Sends `count` POSTs at once, the `index`-th with `body(index)`; the statuses in the order they came back.
    func postAtOnce(_ path: String, count: Int, body: @escaping @Sendable (Int) -> [String: String]) async throws
        -> [Int]
    {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask { try await post(path, body(index)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    func post(_ path: String, _ body: [String: String]) async throws -> Int {
        try await postWithHeaders(path, body, headers: [:]).0
    }

    /// The status and the `Retry-After` header.
    func postWithHeaders(_ path: String, _ body: [String: String], headers: [String: String]) async throws -> (
        Int, String?
    ) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body))))
        let response = try await client.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "Retry-After"))
    }

    func close() async {
        await app.server.shutdown()
    }
}
