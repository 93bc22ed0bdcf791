import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("People pages")
struct PeoplePagesTests {
    private func location(_ response: TestingHTTPResponse) -> String {
        response.headers.first(name: .location) ?? ""
    }

    @Test("Without a session the pages send you to sign in, then back")
    func needsSignIn() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            for path in [
                "/people", "/duplicates", "/groups", "/imports", "/workspaces", "/account", "/account/sign-in-methods",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == .seeOther)
                #expect(location(response) == "/sign-in?next=\(path)")
            }
            // A page deeper down comes back to itself, query included; a form posted without a session comes back
            // to the page it belongs to, since its own address cannot be opened again.
            let person = "/people/\(UUID().uuidString)"
            #expect(location(try await browser.get(person)) == "/sign-in?next=\(person)")
            #expect(
                location(try await browser.get("/people?sort=name&archived=true"))
                    == "/sign-in?next=/people?sort%3Dname%26archived%3Dtrue")
            _ = try await browser.get("/sign-in")  // the signed-out form token, as a page left open would carry
            let posted = try await browser.post(person + "/notes", ["body": "hello"])
            #expect(posted.status == .seeOther)
            #expect(location(posted) == "/sign-in?next=/people")
            #expect(location(try await browser.post("/groups", ["name": "Friends"])) == "/sign-in?next=/groups")
        }
    }

    @Test("Add a person, edit, note, group: the person page shows each, with sources; a bad entry says why")
    func personPage() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            let list = try await browser.get("/people")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("Add a person"))

            let refused = try await browser.post("/people", ["name": "Dana", "email": "not an address"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("not a valid address"))
            #expect(try await Person.query(on: app.db).count() == 0)

            let created = try await browser.post(
                "/people", ["name": "Mira Quell", "email": "Dana@Example.com", "company": "Acme"])
            #expect(created.status == .seeOther)
            let path = location(created)
            #expect(path.hasPrefix("/people/"))
            var page = try await browser.get(path)
            #expect(page.body.string.contains("dana@example.com"))
            #expect(page.body.string.contains("from user"))

            #expect(
                try await browser.post(path, ["name": "Mira Quell", "company": "Globex", "title": "CTO"]).status
                    == .seeOther)
            #expect(
                try await browser.post(path + "/notes", ["body": "Met at the <harbour> festival"]).status == .seeOther)
            #expect(try await browser.post(path + "/groups", ["new_group": "Climbing"]).status == .seeOther)
            page = try await browser.get(path)
            let html = page.body.string
            #expect(html.contains("Globex") && html.contains("CTO"))
            #expect(html.contains("Met at the &lt;harbour&gt; festival"), "notes are shown escaped")
            #expect(html.contains("Climbing"))

            let grouped = try await browser.get(
                "/people?group=\(try #require(try await PersonGroup.query(on: app.db).first()?.id))")
            #expect(grouped.body.string.contains("Mira Quell"))
            #expect(try await browser.post(path + "/archive").status == .seeOther)
            #expect(!(try await browser.get("/people")).body.string.contains("Mira Quell"))
            #expect((try await browser.get("/people?archived=true")).body.string.contains("Mira Quell"))

            // A form without its token changes nothing.
            #expect(try await browser.post(path + "/delete", token: .missing).status == .forbidden)
            #expect(try await browser.post(path + "/delete").status == .seeOther)
            #expect(try await Person.query(on: app.db).count() == 0)
        }
    }

    @Test("Duplicates page: the pair side by side with its reason, merge, then undo")
    func duplicatesPage() async throws {
        try await withLoamApp { app in
            let browser = PageBrowser(app)
            try await browser.signUp("owner@example.com")
            try await browser.get("/people")
            _ = try await browser.post("/people", ["name": "Robert Smith", "company": "Acme"])
            _ = try await browser.post("/people", ["name": "Robert Smith", "company": "ACME Inc"])
            var page = try await browser.get("/duplicates")
            #expect(page.body.string.contains("Merge into Robert Smith"))
            #expect(page.body.string.contains("Not the same person"))
            let ids = try await Person.query(on: app.db).all().map { try $0.requireID().uuidString }
            let merged = try await browser.post("/duplicates/merge", ["survivor_id": ids[0], "absorbed_id": ids[1]])
            #expect(location(merged) == "/duplicates?notice=merged")
            page = try await browser.get("/duplicates?notice=merged")
            #expect(page.body.string.contains("No likely duplicates"))
            let merge = try #require(try await PersonMerge.query(on: app.db).first())
            #expect(try await browser.post("/merges/\(try merge.requireID())/undo").status == .seeOther)
            #expect(try await Person.query(on: app.db).filter(\.$mergedIntoID == nil).count() == 2)
            #expect(
                (try await browser.get("/duplicates")).body.string.contains("No likely duplicates"),
                "an undone pair does not return")
        }
    }
}
