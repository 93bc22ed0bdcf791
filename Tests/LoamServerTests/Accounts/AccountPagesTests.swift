import Fluent
import Foundation
import LoamKit
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Account pages")
struct AccountPagesTests {
    @Test(
        "Sign-up by form asks only for the address and name; the mailed link's GET changes nothing, its POST sets the password, confirms and signs in"
    )
    func signUpAndVerify() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            let form = try await browser.get("/sign-up")
            #expect(form.status == .ok)
            #expect(browser.formToken != nil && browser.cookies["loam_csrf"] == browser.formToken)
            #expect(!form.body.string.contains(#"name="password""#))

            let created = try await browser.post(
                "/sign-up", ["email": "dana@example.org", "name": "Dana <b>Oster</b>"])
            #expect(created.status == .ok && created.body.string.contains("Check your mailbox"))
            #expect(browser.cookies["loam_session"] == nil)
            #expect(try await browser.get("/account").status == .seeOther)

            let mail = try #require(try await deliverMails(app).first)
            let verification = try #require(link(in: mail, prefix: "/verify-email/"))
            let path = "/verify-email/\(verification.token)"
            let page = try await browser.get(path)
            #expect(page.status == .ok && page.body.string.contains("Confirm and sign in"))
            #expect(try await User.query(on: app.db).first()?.isVerified == false)

            let weak = try await browser.post(path, ["new_password": "password1"])
            #expect(weak.status == .unprocessableEntity && !weak.body.string.contains("password1"))
            let confirmed = try await browser.post(path, ["new_password": APIClient.password])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers.first(name: .location) == "/account?notice=address-confirmed")
            #expect(browser.cookies["loam_session"] != nil)
            #expect(try await User.query(on: app.db).first()?.isVerified == true)

            let account = try await browser.get("/account?notice=address-confirmed")
            #expect(account.status == .ok)
            let html = account.body.string
            #expect(!html.contains("Confirm your address."))
            #expect(html.contains("dana@example.org") && html.contains("this device"))
            #expect(html.contains("Dana &lt;b&gt;Oster&lt;/b&gt;") && !html.contains("<b>Oster</b>"))
            #expect(html.contains("Account created") && html.contains("Signed in"))
            #expect(!html.contains(" style=") && !html.contains("<script"))
            #expect(account.headers.cacheControl?.noStore == true)

            // The link works once.
            let again = try await browser.post(path, ["new_password": "another-good-one-7"])
            #expect(again.status == .gone && again.body.string.contains("has expired or has already been used"))
        }
    }

    @Test(
        "The email-change links: GET shows a button and changes nothing; POST (with the form token) changes or undoes")
    func emailChangeLinks() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            _ = try await deliverMails(app)
            try await client.send(.POST, "/api/v1/account/email", body: ["new_email": "dana@new.example"], token: token)
            let confirm = try #require(
                try await deliverMails(app).first.flatMap { link(in: $0, prefix: "/confirm-email/") })

            let browser = PageBrowser(app)
            let page = try await browser.get("/confirm-email/\(confirm.token)")
            #expect(page.status == .ok && page.body.string.contains("Use this address"))
            #expect(try await User.query(on: app.db).first()?.email == "dana@example.org")
            #expect(try await browser.post("/confirm-email/\(confirm.token)", token: .forged("x")).status == .forbidden)
            #expect(try await User.query(on: app.db).first()?.email == "dana@example.org")
            let done = try await browser.post("/confirm-email/\(confirm.token)")
            #expect(done.status == .ok && done.body.string.contains("Your address is changed"))
            #expect(try await User.query(on: app.db).first()?.email == "dana@new.example")

            let undo = try #require(
                try await deliverMails(app).first.flatMap { link(in: $0, prefix: "/undo-email-change/") })
            _ = try await browser.get("/undo-email-change/\(undo.token)")
            let back = try await browser.post("/undo-email-change/\(undo.token)")
            #expect(back.status == .ok && back.body.string.contains("Your account is back at this address"))
            #expect(try await User.query(on: app.db).first()?.email == "dana@example.org")
            #expect(try await client.send(.GET, "/api/v1/account", token: token).status == .unauthorized)
            #expect(try await browser.post("/undo-email-change/\(undo.token)").status == .gone)
        }
    }

    @Test("Sign-out revokes the session and expires the cookie; sign-in goes to a local `next`")
    func signOutAndIn() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.get("/account")
            let out = try await browser.post("/sign-out")
            #expect(out.status == .seeOther && out.headers.first(name: .location) == "/")
            #expect(browser.setCookie(out, named: "loam_session")?.contains("Max-Age=0") == true)
            #expect(browser.cookies["loam_session"] == nil)
            #expect(try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).count() == 0)

            let away = try await browser.get("/account")
            #expect(away.status == .seeOther && away.headers.first(name: .location) == "/sign-in?next=/account")

            let form = try await browser.get("/sign-in?next=/cant-sign-in")
            #expect(form.body.string.contains(#"name="next" value="/cant-sign-in""#))
            #expect(form.body.string.contains(#"href="/cant-sign-in">Can't sign in?"#))
            let signedIn = try await browser.post(
                "/sign-in", ["email": "dana@example.org", "password": APIClient.password, "next": "/cant-sign-in"])
            #expect(signedIn.status == .seeOther && signedIn.headers.first(name: .location) == "/cant-sign-in")
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test(
        "Attack: an open redirect through `next` goes to /account instead",
        arguments: ["//evil.example", "https://evil.example/", "/\\evil.example", "evil"])
    func openRedirect(next: String) async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            let response = try await browser.signIn("dana@example.org", next: next)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/account")
        }
    }

    @Test("Form errors re-render with the reason, keeping the address and name but never the password")
    func formErrors() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.get("/sign-up")
            let invalid = try await browser.post("/sign-up", ["email": "dana@", "name": "Dana Oster"])
            #expect(invalid.status == .unprocessableEntity)
            #expect(
                invalid.body.string.contains(#"value="dana@""#) && invalid.body.string.contains(#"value="Dana Oster""#))
            #expect(try await User.query(on: app.db).count() == 0)

            try await browser.signUp("dana@example.org")
            try await browser.post("/sign-out")
            try await browser.get("/sign-up")
            // A taken address gets the same page as a new one; its owner gets a mail instead.
            let taken = try await browser.post("/sign-up", ["email": "dana@example.org", "name": "Dana"])
            #expect(
                taken.status == .ok && taken.body.string.contains("Check your mailbox")
                    && !taken.body.string.contains("already"))

            let wrong = try await browser.signIn("dana@example.org", password: "not-her-password")
            #expect(wrong.status == .unauthorized)
            #expect(
                wrong.body.string.contains("do not match an account")
                    && wrong.body.string.contains(#"value="dana@example.org""#))
            #expect(!wrong.body.string.contains("not-her-password"))
        }
    }

    @Test("Sign-in: throttled answers 429 with Retry-After; a restricted account is told why and how to recover")
    func throttledAndRestricted() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.post("/sign-out")
            for _ in 0..<5 { try await browser.signIn("dana@example.org", password: "guess-guess-1") }
            let blocked = try await browser.signIn("dana@example.org")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: "Retry-After") == "1")
            #expect(blocked.body.string.contains("Too many failed attempts"))

            let user = try #require(try await User.query(on: app.db).first())
            try await app.accounts.restrict(user, reason: .compromised, context: .commandLine)
            time.advance(by: 2)
            let restricted = try await browser.signIn("dana@example.org")
            #expect(restricted.status == .forbidden)
            #expect(restricted.body.string.contains(RestrictionReason.compromised.title))
            #expect(restricted.body.string.contains("Reset your password from the"))
        }
    }

    @Test("Attack: a POST without the form token, or with a wrong one, is refused (403) and changes nothing")
    func csrf() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.get("/account")
            let wrongToken = SecureToken.generate().token

            for token in [PageBrowser.FormToken.missing, .forged(wrongToken)] {
                let out = try await browser.post("/sign-out", token: token)
                #expect(out.status == .forbidden && out.body.string.contains("Form not accepted"))
                let password = try await browser.post(
                    "/account/password",
                    ["current_password": APIClient.password, "new_password": "another-good-one-7"], token: token)
                #expect(password.status == .forbidden)
            }
            #expect(try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).count() == 1)
            #expect(try await browser.get("/account").status == .ok)
            _ = try await app.accounts.signIn(
                email: "dana@example.org", password: APIClient.password, context: .commandLine)

            // A site that sends its own token but cannot set the cookie: no account is created.
            let stranger = PageBrowser(app)
            let forged = try await stranger.post(
                "/sign-up", ["email": "eve@example.org", "password": APIClient.password, "name": "Eve"],
                token: .forged(wrongToken))
            #expect(forged.status == .forbidden)
            #expect(try await User.query(on: app.db).filter(\.$email == "eve@example.org").count() == 0)

            // The API never looks for the token: it takes bearer tokens only.
            let api = try await APIClient(app: app).send(
                .POST, "/api/v1/sessions", body: ["email": "dana@example.org", "password": APIClient.password])
            #expect(api.status == .created)
        }
    }

    @Test(
        "Cookies: HttpOnly, SameSite=Lax for the session and Strict for the form token; Secure and __Host- over https")
    func cookieAttributes() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            let form = try await browser.get("/sign-up")
            let csrf = try #require(browser.setCookie(form, named: "loam_csrf"))
            #expect(
                csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict") && csrf.contains("Path=/")
                    && !csrf.contains("Secure"))
            try await browser.post("/sign-up", ["email": "dana@example.org", "name": "Dana"])
            let token = try #require(try await mailedToken(app, to: "dana@example.org", prefix: "/verify-email/"))
            try await browser.get("/verify-email/\(token)")
            let created = try await browser.post("/verify-email/\(token)", ["new_password": APIClient.password])
            let session = try #require(browser.setCookie(created, named: "loam_session"))
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"))
            // The token stays the same while the cookie lives, so several open tabs all work.
            #expect(browser.setCookie(try await browser.get("/account"), named: "loam_csrf") == nil)
        }
        try await withLoamApp(adjust: { $0.baseURL = URL(string: "https://loam.example.com")! }) { app in
            let browser = PageBrowser(app)
            let form = try await browser.get("/sign-up")
            let csrf = try #require(browser.setCookie(form, named: "__Host-loam_csrf"))
            #expect(
                csrf.contains("Secure") && csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict")
                    && csrf.contains("Path=/"))
            try await browser.post("/sign-up", ["email": "dana@example.org", "name": "Dana"])
            let token = try #require(try await mailedToken(app, to: "dana@example.org", prefix: "/verify-email/"))
            try await browser.get("/verify-email/\(token)")
            let created = try await browser.post("/verify-email/\(token)", ["new_password": APIClient.password])
            #expect(created.status == .seeOther)
            let session = try #require(browser.setCookie(created, named: "__Host-loam_session"))
            #expect(
                session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax")
                    && session.contains("Path=/"))
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test(
        "Sessions: another user's session id answers 404; your own other device is signed out; password change signs out the rest"
    )
    func sessions() async throws {
        try await withLoamApp { app in
            let dana = PageBrowser(app)
            let danaPhone = PageBrowser(app)
            let eve = PageBrowser(app)
            try await dana.signUp("dana@example.org")
            try #require(try await danaPhone.signIn("dana@example.org").status == .seeOther)
            try await eve.signUp("eve@example.org")
            let eveUser = try #require(try await User.query(on: app.db).filter(\.$email == "eve@example.org").first())
            let eveSession = try #require(
                try await UserSession.query(on: app.db).filter(\.$user.$id == eveUser.id!).first())

            try await dana.get("/account")
            let foreign = try await dana.post("/account/sessions/\(eveSession.id!)/revoke")
            #expect(foreign.status == .notFound)
            #expect(try await eve.get("/account").status == .ok)

            let danaToken = try #require(dana.cookies["loam_session"])
            let phone = try #require(
                try await UserSession.query(on: app.db).filter(\.$user.$id != eveUser.id!)
                    .filter(\.$tokenHash != SecureToken.hash(danaToken)).first())
            let page = try await dana.get("/account")
            #expect(page.body.string.contains("/account/sessions/\(phone.id!)/revoke"))
            let revoked = try await dana.post("/account/sessions/\(phone.id!)/revoke")
            #expect(
                revoked.status == .seeOther
                    && revoked.headers.first(name: .location) == "/account?notice=session-revoked")
            #expect(try await danaPhone.get("/account").status == .seeOther)

            try #require(try await danaPhone.signIn("dana@example.org").status == .seeOther)
            try await dana.get("/account")
            let wrongCurrent = try await dana.post(
                "/account/password", ["current_password": "nope-nope-nope", "new_password": "another-good-one-7"])
            #expect(
                wrongCurrent.status == .forbidden && wrongCurrent.body.string.contains("Enter your current password"))
            let changed = try await dana.post(
                "/account/password", ["current_password": APIClient.password, "new_password": "another-good-one-7"])
            #expect(changed.headers.first(name: .location) == "/account?notice=password-changed")
            #expect(
                try await dana.get("/account?notice=password-changed").body.string.contains("Your password is changed"))
            #expect(try await danaPhone.get("/account").status == .seeOther)
        }
    }

    @Test("Can't sign in?: the same words and one mail for a known and an unknown address; the known one's link resets")
    func cantSignIn() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.post("/sign-out")
            _ = try await deliverMails(app)

            let page = try await browser.get("/cant-sign-in")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Loam is working normally right now"))
            #expect(html.contains("You sign in with a provider") && html.contains("You forgot your password"))
            #expect(html.contains("Your account is restricted") && html.contains("Loam is down"))

            let known = try await browser.post("/cant-sign-in", ["email": "dana@example.org"])
            let unknown = try await browser.post("/cant-sign-in", ["email": "nobody@example.org"])
            #expect(known.status == .ok && unknown.status == .ok)
            #expect(known.body.string.contains("We sent a mail to this address that says how to sign in"))
            #expect(known.body.string == unknown.body.string)

            let mails = try await deliverMails(app)
            #expect(mails.count == 2)
            #expect(
                mails.contains {
                    $0.contains("<nobody@example.org>") && link(in: $0, prefix: "/reset-password/") == nil
                })
            let reset = try #require(mails.compactMap { link(in: $0, prefix: "/reset-password/") }.first)
            let path = "/reset-password/\(reset.token)"
            #expect(try await browser.get(path).body.string.contains("Choose a new password"))
            let weak = try await browser.post(path, ["new_password": "password1"])
            #expect(weak.status == .unprocessableEntity)
            let done = try await browser.post(path, ["new_password": "another-good-one-7"])
            #expect(done.status == .ok && done.body.string.contains("Your password is set"))
            #expect(try await browser.signIn("dana@example.org", password: "another-good-one-7").status == .seeOther)

            let used = try await browser.post(path, ["new_password": "yet-another-one-8"])
            #expect(used.status == .gone && used.body.string.contains(#"href="/cant-sign-in">Ask for a new one"#))
        }
    }

    @Test("Can't sign in? says in words when the database is down, and the page still renders")
    func outage() async throws {
        try await withLoamApp(
            adjust: { $0.database = .postgres(url: "postgres://loam@127.0.0.1:1/loam", schema: nil) },
            migrate: false
        ) { app in
            let browser = PageBrowser(app)
            let page = try await browser.get("/cant-sign-in")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Loam is down right now"))
            #expect(html.contains("Loam cannot reach its database: this is an outage, not your account"))
            #expect(html.contains("Mail is delayed"))
            #expect(!html.contains("postgres://"))

            let sent = try await browser.post("/cant-sign-in", ["email": "dana@example.org"])
            #expect(sent.status == .serviceUnavailable && sent.body.string.contains("not about your account"))
        }
    }
}
