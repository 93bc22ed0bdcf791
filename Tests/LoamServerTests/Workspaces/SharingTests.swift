import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Sharing people into a workspace")
struct SharingTests {
    static let email = "secret-p@contacts.example"
    static let phone = "4155550199"
    static let profile = "linkedin.com/in/secret-p"
    static let privateNote = "private-marker-\(UUID().uuidString.prefix(6))"

    /// A shares a group holding one person with an address, a number, a profile and a private note; B joins.
    private func setUp(_ app: Application) async throws -> (
        api: APIClient, a: String, b: String, workspace: String, person: String, group: String
    ) {
        let api = APIClient(app: app)
        let a = try await api.verifiedUser("a@example.com", name: "Ada")
        let workspace = try await api.workspace("Team", token: a)
        _ = try await api.invite("b@example.com", to: workspace, token: a)
        let path = try #require(try await deliverMails(app).compactMap(invitationPath).first)
        let b = try await api.verifiedUser("b@example.com", name: "Bo")
        #expect(try await api.send(.POST, "/api/v1\(path)/accept", token: b).status == .ok)

        let person = try await api.person(
            [
                "name": "Pat Secret", "emails": [Self.email], "phones": ["(415) 555-0199"], "company": "Acme",
                "title": "CFO",
            ], token: a)
        _ = try await api.sendJSON(
            .POST, "/api/v1/people/\(person)/identities", ["kind": "profile_url", "value": "https://\(Self.profile)"],
            token: a)
        _ = try await api.sendJSON(.POST, "/api/v1/people/\(person)/notes", ["body": Self.privateNote], token: a)
        let group = try #require(
            try api.object(try await api.send(.POST, "/api/v1/groups", body: ["name": "Investors"], token: a))["id"]
                as? String)
        _ = try await api.send(.PUT, "/api/v1/groups/\(group)/people/\(person)", token: a)
        let shared = try await api.send(
            .POST, "/api/v1/workspaces/\(workspace)/groups", body: ["group_id": group], token: a)
        #expect(shared.status == .created, "\(shared.body.string)")
        return (api, a, b, workspace, person, group)
    }

    @Test("Members see the shared people's names, companies and titles and the workspace's notes, sealed with its key")
    func membersSeeSharedPeople() async throws {
        try await withLoamApp { app in
            let (api, a, b, workspace, person, _) = try await setUp(app)
            let people = try api.items(try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people", token: b))
            #expect(people.count == 1)
            #expect(people.first?["name"] as? String == "Pat Secret" && people.first?["company"] as? String == "Acme")
            #expect(people.first?["title"] as? String == "CFO" && people.first?["shared_by"] as? String == "Ada")

            let written = try await api.send(
                .POST, "/api/v1/workspaces/\(workspace)/people/\(person)/notes",
                body: ["body": "team-marker: met at the fair"], token: b)
            #expect(written.status == .created)
            let seenByA = try api.object(
                try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people/\(person)", token: a))
            #expect((seenByA["notes"] as? [[String: Any]])?.first?["body"] as? String == "team-marker: met at the fair")
            #expect((seenByA["notes"] as? [[String: Any]])?.first?["author"] as? String == "Bo")

            // Sealed with the workspace's key: not in clear, and the author's own key cannot open it.
            let note = try #require(try await WorkspaceNote.query(on: app.db).first())
            #expect(!String(decoding: note.sealedBody, as: UTF8.self).contains("team-marker"))
            let bID = try #require(
                try await User.query(on: app.db).filter(\.$email == "b@example.com").first()?.requireID())
            let userCipher = try await app.keyring.fieldCipher(for: .user(bID.uuidString.lowercased()), on: app.db)
            let context = FieldContext(
                table: WorkspaceNote.schema, column: "sealed_body", rowID: try note.requireID().uuidString.lowercased(),
                owner: .user(bID.uuidString.lowercased()))
            #expect(throws: (any Error).self) { try userCipher.open(note.sealedBody, context: context) }

            // Someone outside the workspace sees none of it.
            let c = try await api.verifiedUser("c@example.com", name: "Cy")
            #expect(try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people", token: c).status == .notFound)
            #expect(
                try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people/\(person)", token: c).status
                    == .notFound)
        }
    }

    @Test("Attack: another member reads no address, number, profile or private note through any API route")
    func contactDetailsStayWithTheirOwner() async throws {
        try await withLoamApp { app in
            let (api, a, b, workspace, person, group) = try await setUp(app)
            let aID = try #require(
                try await User.query(on: app.db).filter(\.$email == "a@example.com").first()?.requireID().uuidString)
            // The owner really has them, so the check below can fail.
            let own = try await api.send(.GET, "/api/v1/people/\(person)", token: a)
            #expect(own.body.string.contains(Self.email) && own.body.string.contains(Self.phone))

            var read = 0
            for route in app.routes.all where route.method == .GET && route.path.first?.description == "api" {
                let parameters = route.path.filter { if case .parameter = $0 { true } else { false } }.count
                let candidates = parameters == 0 ? [""] : [workspace, person, group, aID]
                for object in candidates {
                    // A workspace parameter is always B's shared workspace; every other one takes each of A's ids.
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            guard case .parameter(let name) = component else { return component.description }
                            return name == "workspaceID" ? workspace : object
                        }.joined(separator: "/")
                    let body = try await api.send(.GET, path, token: b).body.string
                    for secret in [Self.email, Self.phone, Self.profile, Self.privateNote] {
                        #expect(!body.contains(secret), "GET \(path) showed B a detail of A's: \(secret)")
                    }
                    read += 1
                }
            }
            #expect(read > 30)
        }
    }

    @Test("Unsharing, or the sharer leaving, takes the people out of the workspace")
    func unshareAndLeave() async throws {
        try await withLoamApp { app in
            let (api, a, b, workspace, _, group) = try await setUp(app)
            #expect(
                try await api.send(.DELETE, "/api/v1/workspaces/\(workspace)/groups/\(group)", token: b).status
                    == .forbidden)
            #expect(
                try await api.send(.DELETE, "/api/v1/workspaces/\(workspace)/groups/\(group)", token: a).status
                    == .noContent)
            #expect(try api.items(try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people", token: b)).isEmpty)

            // B shares a group of B's own, then leaves: B's people go with B.
            let bPerson = try await api.person(["name": "Bo's Friend"], token: b)
            let bGroup = try #require(
                try api.object(try await api.send(.POST, "/api/v1/groups", body: ["name": "Friends"], token: b))["id"]
                    as? String)
            _ = try await api.send(.PUT, "/api/v1/groups/\(bGroup)/people/\(bPerson)", token: b)
            #expect(
                try await api.send(.POST, "/api/v1/workspaces/\(workspace)/groups", body: ["group_id": group], token: b)
                    .status == .notFound, "not B's group")
            _ = try await api.send(
                .POST, "/api/v1/workspaces/\(workspace)/groups", body: ["group_id": bGroup], token: b)
            #expect(
                try api.items(try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people", token: a)).count == 1)
            let bID = try #require(
                try await User.query(on: app.db).filter(\.$email == "b@example.com").first()?.requireID())
            #expect(
                try await api.send(.DELETE, "/api/v1/workspaces/\(workspace)/members/\(bID)", token: b).status
                    == .noContent)
            #expect(try api.items(try await api.send(.GET, "/api/v1/workspaces/\(workspace)/people", token: a)).isEmpty)
        }
    }
}

@Suite("Sharing pages")
struct SharingPagesTests {
    @Test(
        "Share a group from the workspace page; another member sees the person without contact details and adds a note")
    func sharePages() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            // A through the pages, B through the API: both are members.
            let a = PageBrowser(app)
            try await a.signUp("a@example.com", name: "Ada")
            let aUser = try #require(try await User.query(on: app.db).filter(\.$email == "a@example.com").first())
            aUser.emailVerifiedAt = app.clock.now()
            try await aUser.save(on: app.db)
            try await a.get("/workspaces")
            let created = try await a.post("/workspaces", ["name": "Team"])
            let workspacePath = try #require(created.headers.first(name: .location))
            try await a.get(workspacePath)
            _ = try await a.post(workspacePath + "/invitations", ["email": "b@example.com", "role": "member"])
            let invitation = try #require(try await deliverMails(app).compactMap(invitationPath).last)
            let b = try await api.verifiedUser("b@example.com", name: "Bo")
            #expect(try await api.send(.POST, "/api/v1\(invitation)/accept", token: b).status == .ok)

            try await a.get("/people")
            let person = try #require(
                try await a.post("/people", ["name": "Pat Secret", "email": "pat@contacts.example", "company": "Acme"])
                    .headers.first(name: .location))
            _ = try await a.post(person + "/groups", ["new_group": "Investors"])
            var page = try await a.get(workspacePath)
            #expect(page.body.string.contains("Share a group of yours"))
            let groupID = try #require(try await PersonGroup.query(on: app.db).first()?.requireID())
            #expect(try await a.post(workspacePath + "/groups", ["group_id": groupID.uuidString]).status == .seeOther)

            // B, in a browser of B's own.
            let bBrowser = PageBrowser(app)
            _ = try await bBrowser.signIn("b@example.com")
            page = try await bBrowser.get(workspacePath)
            #expect(page.body.string.contains("Pat Secret") && page.body.string.contains("Acme"))
            #expect(!page.body.string.contains("pat@contacts.example"))
            let personID = try #require(try await Person.query(on: app.db).first()?.requireID())
            let shared = try await bBrowser.get("\(workspacePath)/people/\(personID)")
            #expect(shared.status == .ok && shared.body.string.contains("Pat Secret"))
            #expect(!shared.body.string.contains("pat@contacts.example"))
            #expect(
                try await bBrowser.post("\(workspacePath)/people/\(personID)/notes", ["body": "Ask about the fund"])
                    .status == .seeOther)
            #expect((try await a.get("\(workspacePath)/people/\(personID)")).body.string.contains("Ask about the fund"))
            #expect(
                (try await bBrowser.get("/people/\(personID)")).status == .notFound,
                "B's own people pages never show A's person")
        }
    }
}
