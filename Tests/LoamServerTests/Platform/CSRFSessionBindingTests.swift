import Fluent
import Foundation
import LoamKit
import Testing
import VaporTesting

@testable import LoamServer

/// The form token once signed in: renewed at sign-in and bound to the session, so a token someone planted in
/// the browser before sign-in (cookie tossing from a sibling subdomain, a shared computer) or took from another
/// session opens no form.
@Suite("Form tokens bound to the session")
struct CSRFSessionBindingTests {
    private func liveSessions(_ app: Application) async throws -> Int {
        try await UserSession.query(on: app.db).filter(\.$revokedAt == nil).count()
    }

    @Test("Attack: a token planted before sign-in no longer passes a form after it; the cookie is renewed at sign-in")
    func plantedTokenRefusedAfterSignIn() async throws {
        try await withLoamApp { app in
            try await APIClient(app: app).signUp("dana@example.org")
            let browser = PageBrowser(app)
            // The attacker plants a token they know as the browser's form-token cookie, before the victim signs in.
            let planted = SecureToken.generate().token
            browser.cookies["loam_csrf"] = planted
            try await browser.get("/sign-in")
            #expect(browser.formToken == planted)
            let signedIn = try await browser.post(
                "/sign-in", ["email": "dana@example.org", "password": APIClient.password])
            #expect(signedIn.status == .seeOther)
            #expect(browser.cookies["loam_csrf"] != nil && browser.cookies["loam_csrf"] != planted)

            // The attacker's page posts with the planted token; the browser may even still send the planted cookie.
            for cookie in [browser.cookies["loam_csrf"]!, planted] {
                browser.cookies["loam_csrf"] = cookie
                let out = try await browser.post("/sign-out", token: .forged(planted))
                #expect(out.status == .forbidden && out.body.string.contains("Form not accepted"))
                let password = try await browser.post(
                    "/account/password",
                    ["current_password": APIClient.password, "new_password": "another-good-one-7"],
                    token: .forged(planted))
                #expect(password.status == .forbidden)
            }
            #expect(try await liveSessions(app) == 1)
            _ = try await app.accounts.signIn(
                email: "dana@example.org", password: APIClient.password, context: .commandLine)

            // Tossing a new cookie after sign-in does not help either: signed in, the cookie's token does not count.
            let tossed = SecureToken.generate().token
            browser.cookies["loam_csrf"] = tossed
            #expect(try await browser.post("/sign-out", token: .forged(tossed)).status == .forbidden)
            #expect(try await liveSessions(app) == 2)

            // The page's own token still works, whatever the cookie holds.
            let page = try await browser.get("/account")
            #expect(page.status == .ok && browser.formToken != planted && browser.formToken != tossed)
            let out = try await browser.post("/sign-out")
            #expect(out.status == .seeOther && out.headers.first(name: .location) == "/")
            #expect(try await liveSessions(app) == 1)
        }
    }

    @Test("Attack: the form token of another user's session, or of the same user's other session, is refused")
    func otherSessionsTokenRefused() async throws {
        try await withLoamApp { app in
            let dana = PageBrowser(app)
            try await dana.signUp("dana@example.org")
            let eve = PageBrowser(app)
            try await eve.signUp("eve@example.org")
            let danaPhone = PageBrowser(app)
            #expect(try await danaPhone.signIn("dana@example.org").status == .seeOther)

            try await dana.get("/account")
            try await eve.get("/account")
            try await danaPhone.get("/account")
            let eveToken = try #require(eve.formToken)
            let phoneToken = try #require(danaPhone.formToken)
            #expect(Set([dana.formToken, eveToken, phoneToken]).count == 3)

            for token in [eveToken, phoneToken] {
                let out = try await dana.post("/sign-out", token: .forged(token))
                #expect(out.status == .forbidden)
            }
            #expect(try await liveSessions(app) == 3)
            // Each with its own token: accepted.
            #expect(try await dana.post("/sign-out").status == .seeOther)
            #expect(try await eve.post("/sign-out").status == .seeOther)
            #expect(try await liveSessions(app) == 1)
        }
    }

    @Test("Uploads, which check their token as they stream, refuse a planted token after sign-in too")
    func streamedUploadRefusesPlantedToken() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            let planted = SecureToken.generate().token
            browser.cookies["loam_csrf"] = planted
            try await browser.signUp("dana@example.org")
            browser.cookies["loam_csrf"] = planted
            let card = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n".utf8)
            let refused = try await browser.upload(
                "/imports", file: (name: "contacts.vcf", bytes: card), token: .forged(planted))
            #expect(refused.status == .forbidden)
            #expect(try await ImportRun.query(on: app.db).count() == 0)
            try await browser.get("/imports")
            let accepted = try await browser.upload("/imports", file: (name: "contacts.vcf", bytes: card))
            #expect(accepted.status == .seeOther, "\(accepted.body.string)")
            #expect(try await ImportRun.query(on: app.db).count() == 1)
        }
    }

    @Test("A session that ended while its form was open: the form reaches its handler, which asks to sign in again")
    func endedSessionFormStillReachesHandler() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("dana@example.org")
            try await browser.get("/account")
            for session in try await UserSession.query(on: app.db).all() {
                session.revokedAt = Date()
                try await session.save(on: app.db)
            }
            let password = try await browser.post(
                "/account/password", ["current_password": APIClient.password, "new_password": "another-good-one-7"])
            #expect(password.status != .forbidden)
            #expect(
                password.status == .seeOther && password.headers.first(name: .location)?.hasPrefix("/sign-in") == true)
        }
    }

    @Test("Signed-out forms keep working with the cookie's token, and a stranger's token still fails")
    func signedOutForms() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.get("/sign-up")
            let token = try #require(browser.formToken)
            #expect(browser.cookies["loam_csrf"] == token)
            let forged = try await browser.post(
                "/sign-up", ["email": "eve@example.org", "name": "Eve"], token: .forged(SecureToken.generate().token))
            #expect(forged.status == .forbidden)
            let created = try await browser.post("/sign-up", ["email": "dana@example.org", "name": "Dana"])
            #expect(created.status == .ok)
            #expect(browser.cookies["loam_csrf"] == token)
            // The mailed link's form still works with the cookie's token, and starting the session renews it.
            let link = try #require(try await mailedToken(app, to: "dana@example.org", prefix: "/verify-email/"))
            try await browser.get("/verify-email/\(link)")
            let signedIn = try await browser.post("/verify-email/\(link)", ["new_password": APIClient.password])
            #expect(signedIn.status == .seeOther)
            #expect(browser.cookies["loam_csrf"] != token)
        }
    }
}
