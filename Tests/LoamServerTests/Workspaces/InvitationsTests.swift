import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Invitations")
struct InvitationsTests {
    @Test("An unconfirmed inviter is refused with /problems/email-unverified, and nothing is queued")
    func unverifiedCannotInvite() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            try await api.signUp("new@example.com")
            let token = try await api.signIn("new@example.com")
            // Unconfirmed, as an account made from an invitation's copied link is.
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "new@example.com").first())
            user.emailVerifiedAt = nil
            try await user.save(on: app.db)
            let id = try await api.workspace("Acme", token: token)
            let refused = try await api.invite("bea@example.com", to: id, token: token)
            #expect(refused.status == .forbidden)
            #expect(try api.object(refused)["type"] as? String == "/problems/email-unverified")
            #expect(try await Invitation.query(on: app.db).count() == 0)
            #expect(try await deliverMails(app).isEmpty)
        }
    }

    @Test(
        "201 with id, email, role, state, expires_at and link; the mail carries that link alone on its line; states follow delivery"
    )
    func inviteAndMail() async throws {
        let (clock, manual) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let id = try await api.workspace("Acme team", token: owner)
            let created = try await api.invite("Bea@Example.com", to: id, role: "admin", token: owner)
            #expect(created.status == .created, "\(created.body.string)")
            let invitation = try api.object(created)
            #expect(invitation["email"] as? String == "bea@example.com")
            #expect(invitation["role"] as? String == "admin")
            #expect(invitation["state"] as? String == "queued")
            #expect(
                invitation["expires_at"] as? String
                    == ISO8601DateFormatter().string(from: manual.current.addingTimeInterval(7 * 86_400)))
            let link = try #require(invitation["link"] as? String)
            #expect(link.hasPrefix("http://127.0.0.1:8080/invitations/"))

            let mails = try await deliverMails(app)
            #expect(mails.count == 1)
            // The mail's link is the copyable one plus a proof of the mailbox the inviter never sees.
            let mailed = try #require(
                mails[0].components(separatedBy: "\r\n").first { $0.hasPrefix(link + ".") },
                "the link alone on its own line")
            #expect(!mailed.contains(" "))
            #expect(mails[0].contains("Owner") || mails[0].contains("Dana Oster"))
            let listed = try api.items(try await api.send(.GET, "/api/v1/workspaces/\(id)/invitations", token: owner))
            #expect(listed.first?["state"] as? String == "sent")
            #expect(listed.first?["link"] as? String == link, "the inviter can copy the same link again")

            // The secret is derived, never stored.
            let secret = String(link.split(separator: ".").last ?? "")
            let row = try #require(try await Invitation.query(on: app.db).first())
            for value in [row.nonce, row.email, row.role] { #expect(!value.contains(secret)) }

            // Resend: the same link, valid 7 days from now; and the old mail's link still works.
            manual.advance(by: 5 * 86_400)
            let resent = try await api.send(
                .POST, "/api/v1/workspaces/\(id)/invitations/\(try #require(invitation["id"] as? String))/resend",
                token: owner)
            #expect(resent.status == .ok)
            #expect(try api.object(resent)["link"] as? String == link)
            #expect(
                try api.object(resent)["expires_at"] as? String
                    == ISO8601DateFormatter().string(from: manual.current.addingTimeInterval(7 * 86_400)))
            let again = try await deliverMails(app)
            #expect(again.first?.components(separatedBy: "\r\n").contains(mailed) == true)
            manual.advance(by: 6 * 86_400)
            let path = "/invitations/" + (link.components(separatedBy: "/invitations/").last ?? "")
            #expect(
                (try await app.testing().sendRequest(.GET, path)).body.string.contains("Create your account"),
                "still open after 11 days thanks to the resend")
            manual.advance(by: 2 * 86_400)
            let expired = try await app.testing().sendRequest(.GET, path)
            #expect(expired.body.string.contains("This invitation expired on"))
            #expect(
                try api.items(try await api.send(.GET, "/api/v1/workspaces/\(id)/invitations", token: owner)).first?[
                    "state"] as? String == "expired")
        }
    }

    @Test("Inviting the same address twice sends the pending invitation again; a member cannot be invited")
    func noDuplicates() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let id = try await api.workspace("Acme", token: owner)
            let first = try api.object(try await api.invite("bea@example.com", to: id, token: owner))
            let second = try api.object(try await api.invite("BEA@example.com", to: id, token: owner))
            #expect(
                first["id"] as? String == second["id"] as? String
                    && first["link"] as? String == second["link"] as? String)
            #expect(second["send_count"] as? Int == 2)
            #expect(try await api.invite("owner@example.com", to: id, token: owner).status == .conflict)
            #expect(try await api.invite("not an address", to: id, token: owner).status == .unprocessableEntity)
        }
    }

    @Test(
        "Attack: invitation mails are limited per workspace and per inviter (429 with Retry-After), per configuration")
    func rateLimited() async throws {
        try await withLoamApp(adjust: {
            $0.invitationsPerWorkspacePerHour = 3
            $0.invitationsPerInviterPerHour = 4
        }) { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let first = try await api.workspace("One", token: owner)
            let second = try await api.workspace("Two", token: owner)
            for index in 0..<3 {
                #expect(try await api.invite("p\(index)@example.com", to: first, token: owner).status == .created)
            }
            let blocked = try await api.invite("p9@example.com", to: first, token: owner)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: "Retry-After") != nil)
            #expect(
                try await api.invite("q0@example.com", to: second, token: owner).status == .created,
                "another workspace has its own budget")
            #expect(
                try await api.invite("q1@example.com", to: second, token: owner).status == .tooManyRequests,
                "the inviter's own limit")
            #expect(try await Invitation.query(on: app.db).count() == 4)
        }
    }

    @Test(
        "Revoked: the link says who withdrew it and when, and asking for a new one mails the inviter at most once an hour"
    )
    func revokedAndResendRequest() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com", name: "Olive Owner")
            let id = try await api.workspace("Acme", token: owner)
            let invitation = try api.object(try await api.invite("bea@example.com", to: id, token: owner))
            _ = try await deliverMails(app)
            let link = try #require(invitation["link"] as? String)
            let path = "/invitations/" + (link.components(separatedBy: "/invitations/").last ?? "")
            #expect(
                try await api.send(
                    .POST, "/api/v1/workspaces/\(id)/invitations/\(invitation["id"] as? String ?? "")/revoke",
                    token: owner
                ).status == .ok)

            let browser = PageBrowser(app)
            let page = try await browser.get(path)
            #expect(page.body.string.contains("Olive Owner withdrew this invitation on"))
            #expect(!page.body.string.lowercased().contains("session"))
            let asked = try await browser.post(path + "/request-resend")
            #expect(asked.headers.first(name: .location) == path + "?notice=resend-requested")
            let mails = try await deliverMails(app)
            #expect(mails.count == 1 && mails[0].contains("asks for a new invitation"))
            _ = try await browser.post(path + "/request-resend")
            #expect(try await deliverMails(app).isEmpty, "at most one request an hour")
            // A revoked invitation cannot be used, even by the invited address.
            let bea = try await api.verifiedUser("bea@example.com", name: "Bea")
            #expect(try await api.send(.POST, "/api/v1\(path)/accept", token: bea).status == .conflict)
            #expect(try await WorkspaceMember.query(on: app.db).count() == 1)
        }
    }

    @Test("Attack: a tampered, truncated or foreign link opens nothing (404), and opening a link never uses it up")
    func forgedLinks() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let id = try await api.workspace("Acme", token: owner)
            let link = try #require(
                try api.object(try await api.invite("bea@example.com", to: id, token: owner))["link"] as? String)
            let token = link.components(separatedBy: "/invitations/").last ?? ""
            let (uuid, secret) = (token.split(separator: ".")[0], token.split(separator: ".")[1])
            let flipped = String(secret.dropLast()) + (secret.hasSuffix("A") ? "B" : "A")
            for forged in [
                "\(uuid).\(flipped)", "\(uuid)", "\(UUID().uuidString.lowercased()).\(secret)",
                String(token.dropLast(5)), "nonsense",
            ] {
                let page = try await app.testing().sendRequest(.GET, "/invitations/\(forged)")
                #expect(page.status == .notFound, "\(forged)")
                #expect(page.body.string.contains("not recognised"))
            }
            for _ in 0..<3 { #expect(try await app.testing().sendRequest(.GET, "/invitations/\(token)").status == .ok) }
            let row = try #require(try await Invitation.query(on: app.db).first())
            #expect(row.acceptedAt == nil && row.revokedAt == nil)
        }
    }
}
