import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// Every case of opening an invitation (the seed: "your session has expired" in every browser).
@Suite("Invitation pages")
struct InvitationPagesTests {
    private func invitation(_ app: Application, to email: String) async throws -> (path: String, workspaceID: String) {
        let api = APIClient(app: app)
        let owner = try await api.verifiedUser("owner@example.com", name: "Olive Owner")
        let id = try await api.workspace("Acme team", token: owner)
        #expect(try await api.invite(email, to: id, token: owner).status == .created)
        let mails = try await deliverMails(app)
        return (try #require(mails.compactMap(invitationPath).first), id)
    }

    private func memberCount(_ app: Application) async throws -> Int {
        try await WorkspaceMember.query(on: app.db).count()
    }

    @Test(
        "No account: sign up on the invitation page with the address filled in; that joins, with no confirmation mail")
    func newPerson() async throws {
        try await withLoamApp { app in
            let (path, workspaceID) = try await invitation(app, to: "new@example.com")
            let browser = PageBrowser(app)
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(
                html.contains("Olive Owner") && html.contains("Acme team") && html.contains("new@example.com")
                    && html.contains("valid until"))
            #expect(html.contains("Create account and join"))
            let joined = try await browser.post(path + "/sign-up", ["name": "Nia New", "password": APIClient.password])
            #expect(joined.status == .seeOther)
            #expect(joined.headers.first(name: .location) == "/workspaces/\(workspaceID)?notice=joined")
            let workspace = try await browser.get("/workspaces/\(workspaceID)")
            #expect(workspace.status == .ok && workspace.body.string.contains("Nia New"))
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "new@example.com").first())
            #expect(user.isVerified, "the invitation proved the mailbox")
            #expect(try await deliverMails(app).isEmpty, "no second verification mail")
            #expect(try await memberCount(app) == 2)
            // Used up: opening it again says so, with the date.
            #expect((try await PageBrowser(app).get(path)).body.string.contains("already used on"))
        }
    }

    @Test("An account exists: sign in from the page and come straight back, one click joins")
    func existingAccount() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("bea@example.com", name: "Bea")
            _ = try await deliverMails(app)
            let (path, workspaceID) = try await invitation(app, to: "bea@example.com")
            let browser = PageBrowser(app)
            let page = try await browser.get(path)
            #expect(page.body.string.contains("/sign-in?next=\(path)"))
            let signedIn = try await browser.signIn("bea@example.com", next: path)
            #expect(signedIn.headers.first(name: .location) == path, "straight back to the invitation")
            let join = try await browser.get(path)
            #expect(join.body.string.contains("Join Acme team"))
            #expect(try await memberCount(app) == 1, "opening changes nothing")
            let joined = try await browser.post(path + "/accept")
            #expect(joined.headers.first(name: .location) == "/workspaces/\(workspaceID)?notice=joined")
            #expect(try await memberCount(app) == 2)
            #expect(try await browser.post(path + "/accept").status == .conflict, "single-use")
        }
    }

    @Test("Signed in as someone else: told so, never joined silently; Switch account signs out and returns here")
    func otherAccount() async throws {
        try await withLoamApp { app in
            let (path, _) = try await invitation(app, to: "bea@example.com")
            let browser = PageBrowser(app)
            try await browser.signUp("carl@example.com", name: "Carl")
            let page = try await browser.get(path)
            let html = page.body.string
            #expect(html.contains("You are signed in as carl@example.com; this invitation is for bea@example.com"))
            #expect(html.contains("Switch account"))
            #expect(!html.lowercased().contains("session expired"))
            let refused = try await browser.post(path + "/accept")
            #expect(refused.status == .conflict)
            #expect(try await memberCount(app) == 1, "Carl did not join")
            let switched = try await browser.post(path + "/switch")
            #expect(switched.headers.first(name: .location) == path)
            let after = try await browser.get(path)
            #expect(after.body.string.contains("Create account and join"), "signed out, back on the same invitation")
            #expect(try await browser.get("/account").status == .seeOther, "Carl's session ended")
        }
    }

    @Test("The words \"session expired\" appear in none of the invitation pages")
    func neverSessionExpired() async throws {
        try await withLoamApp { app in
            let (path, _) = try await invitation(app, to: "bea@example.com")
            let browser = PageBrowser(app)
            var pages = [try await browser.get(path), try await browser.get("/invitations/garbage")]
            try await browser.signUp("carl@example.com", name: "Carl")
            pages.append(try await browser.get(path))
            pages.append(try await browser.post(path + "/accept", token: .forged("x")))
            for page in pages { #expect(!page.body.string.lowercased().contains("session expired")) }
        }
    }
}
