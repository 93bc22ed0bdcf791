import Fluent
import Foundation
import LoamKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Workspaces and roles")
struct WorkspacesAPITests {
    @Test("Create, list, rename; roles decide who may do what; a workspace always has one owner")
    func rolesAndOwnership() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let id = try await api.workspace("Acme team", token: owner)
            let listed = try api.items(try await api.send(.GET, "/api/v1/workspaces", token: owner))
            #expect(listed.first?["role"] as? String == "owner")

            // Bring a member in through an invitation.
            _ = try await api.invite("bea@example.com", to: id, token: owner)
            let mails = try await deliverMails(app)
            let path = try #require(mails.compactMap(invitationPath).first)
            let bea = try await api.verifiedUser("bea@example.com", name: "Bea")
            let joined = try await api.send(.POST, "/api/v1\(path)/accept", token: bea)
            #expect(joined.status == .ok, "\(joined.body.string)")
            let beaID = try #require(
                try await User.query(on: app.db).filter(\.$email == "bea@example.com").first()?.requireID())

            // A member may look but not manage.
            #expect(try await api.send(.GET, "/api/v1/workspaces/\(id)/members", token: bea).status == .ok)
            #expect(try await api.invite("x@example.com", to: id, token: bea).status == .forbidden)
            #expect(
                try await api.send(.PATCH, "/api/v1/workspaces/\(id)", body: ["name": "Mine"], token: bea).status
                    == .forbidden)
            #expect(try await api.send(.DELETE, "/api/v1/workspaces/\(id)", token: bea).status == .forbidden)

            // The owner makes Bea an admin, then hands over ownership; there is still exactly one owner.
            #expect(
                try await api.send(
                    .PATCH, "/api/v1/workspaces/\(id)/members/\(beaID)", body: ["role": "admin"], token: owner
                ).status == .noContent)
            #expect(
                try await api.send(
                    .PATCH, "/api/v1/workspaces/\(id)/members/\(beaID)", body: ["role": "owner"], token: owner
                ).status == .unprocessableEntity)
            let ownerID = try #require(
                try await User.query(on: app.db).filter(\.$email == "owner@example.com").first()?.requireID())
            #expect(
                try await api.send(.DELETE, "/api/v1/workspaces/\(id)/members/\(ownerID)", token: owner).status
                    == .conflict, "the owner cannot leave")
            #expect(
                try await api.send(
                    .POST, "/api/v1/workspaces/\(id)/transfer", body: ["user_id": beaID.uuidString], token: owner
                ).status == .noContent)
            let roles = try api.items(try await api.send(.GET, "/api/v1/workspaces/\(id)/members", token: owner))
            #expect(Set(roles.compactMap { $0["role"] as? String }) == ["owner", "admin"])
            #expect(try await WorkspaceMember.query(on: app.db).filter(\.$role == "owner").count() == 1)
            // The old owner, now an admin, can leave.
            #expect(
                try await api.send(.DELETE, "/api/v1/workspaces/\(id)/members/\(ownerID)", token: owner).status
                    == .noContent)
            #expect(try await api.send(.GET, "/api/v1/workspaces/\(id)", token: owner).status == .notFound)
        }
    }

    @Test("Attack: someone outside a workspace gets 404 for it and everything in it; deleting it destroys its key")
    func outsidersSeeNothing() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let owner = try await api.verifiedUser("owner@example.com")
            let outsider = try await api.verifiedUser("eve@example.com", name: "Eve")
            let id = try await api.workspace("Acme team", token: owner)
            for (method, path) in [
                (HTTPMethod.GET, ""), (.GET, "/members"), (.GET, "/invitations"), (.PATCH, ""), (.DELETE, ""),
            ] {
                let response = try await api.send(
                    method, "/api/v1/workspaces/\(id)\(path)", body: method == .PATCH ? ["name": "x"] : nil,
                    token: outsider)
                #expect(response.status == .notFound, "\(method) \(path)")
            }
            #expect(try await api.invite("eve@example.com", to: id, token: outsider).status == .notFound)
            #expect(
                try await DataKeyRecord.query(on: app.db).filter(\.$ownerKind == "workspace").count() == 1,
                "its own data key")
            #expect(try await api.send(.DELETE, "/api/v1/workspaces/\(id)", token: owner).status == .noContent)
            #expect(try await DataKeyRecord.query(on: app.db).filter(\.$ownerKind == "workspace").count() == 0)
            #expect(try await Workspace.query(on: app.db).count() == 0)
        }
    }
}
