import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Email change, settings and step-up")
struct EmailChangeTests {
    @Test("Attack: 15 minutes after sign-in, changing the address needs the current password again")
    func stepUp() async throws {
        let (clock, time) = LoamClock.manual()
        try await withLoamApp(clock: clock) { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            time.advance(by: 16 * 60)
            let stale = try await client.send(
                .POST, "/api/v1/account/email", body: ["new_email": "dana@new.example"], token: token)
            #expect(stale.status == .forbidden)
            #expect(try client.object(stale)["type"] as? String == "/problems/reauthentication-required")
            let wrong = try await client.send(
                .POST, "/api/v1/account/email",
                body: ["new_email": "dana@new.example", "current_password": "guess-guess-9"], token: token)
            #expect(wrong.status == .forbidden)
            _ = try await deliverMails(app)
            let fresh = try await client.send(
                .POST, "/api/v1/account/email",
                body: ["new_email": "dana@new.example", "current_password": APIClient.password], token: token)
            #expect(fresh.status == .accepted)
            // Proven again: for the next 15 minutes no password is needed.
            let soon = try await client.send(
                .POST, "/api/v1/account/email", body: ["new_email": "dana@other.example"], token: token)
            #expect(soon.status == .accepted)
        }
    }

    @Test(
        "The address changes only when the new mailbox confirms; the old one is told and can undo, which signs everyone out"
    )
    func changeAndUndo() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            _ = try await deliverMails(app)
            let token = try await client.signIn("dana@example.org")
            #expect(
                try await client.send(
                    .POST, "/api/v1/account/email", body: ["new_email": "Dana@New.Example"], token: token
                ).status == .accepted)
            #expect(try await User.query(on: app.db).first()?.email == "dana@example.org")

            var mails = try await deliverMails(app)
            #expect(mails.count == 1 && mails[0].contains("To: \"Dana Oster\" <dana@new.example>"))
            let confirm = try #require(link(in: mails[0], prefix: "/confirm-email/"))
            let confirmed = try await client.send(
                .POST, "/api/v1/account/email/confirm", body: ["token": confirm.token])
            #expect(confirmed.status == .ok)
            #expect(try client.object(confirmed)["email"] as? String == "dana@new.example")
            // Single use.
            #expect(
                try await client.send(.POST, "/api/v1/account/email/confirm", body: ["token": confirm.token]).status
                    == .gone)

            mails = try await deliverMails(app)
            #expect(mails.count == 1 && mails[0].contains("<dana@example.org>"))
            let undo = try #require(link(in: mails[0], prefix: "/undo-email-change/"))
            let undone = try await client.send(.POST, "/api/v1/account/email/undo", body: ["token": undo.token])
            #expect(try client.object(undone)["email"] as? String == "dana@example.org")
            #expect(try await client.send(.GET, "/api/v1/account", token: token).status == .unauthorized)
        }
    }

    @Test("Attack: an address already in use answers like any other; its owner is told, and nothing moves")
    func taken() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            try await client.signUp("eve@example.org", name: "Eve")
            let token = try await client.signIn("dana@example.org")
            let response = try await client.send(
                .POST, "/api/v1/account/email", body: ["new_email": "EVE@example.org"], token: token)
            #expect(response.status == .accepted)
            let mails = try await deliverMails(app)
            #expect(mails.count == 1 && mails[0].contains("<eve@example.org>") && !mails[0].contains("/confirm-email/"))
            #expect(try await User.query(on: app.db).filter(\.$email == "dana@example.org").first() != nil)
        }
    }

    @Test("Settings hold the name, time zone and default phone region; bad values are refused and change nothing")
    func settings() async throws {
        try await withLoamApp { app in
            let client = APIClient(app: app)
            try await client.signUp("dana@example.org")
            let token = try await client.signIn("dana@example.org")
            let updated = try await client.send(
                .PATCH, "/api/v1/account", body: ["name": "Dana Ø.", "time_zone": "Europe/Oslo", "phone_region": "no"],
                token: token)
            #expect(updated.status == .ok)
            let body = try client.object(updated)
            #expect(body["time_zone"] as? String == "Europe/Oslo" && body["phone_region"] as? String == "NO")
            for bad in [["time_zone": "Mars/Olympus"], ["phone_region": "NOR"], ["name": " "]] {
                #expect(
                    try await client.send(.PATCH, "/api/v1/account", body: bad, token: token).status
                        == .unprocessableEntity)
            }
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.name == "Dana Ø." && user.timeZone == "Europe/Oslo" && user.phoneRegion == "NO")
        }
    }
}
