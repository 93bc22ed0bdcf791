import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

@Suite("Interactions and the timeline")
struct TimelineTests {
    @Test(
        "Interactions are sealed at rest, keyed so nothing is added twice, and give first and last contact and counts")
    func timeline() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            let id = try await api.person(["name": "Dana"], token: token)
            let subject = "Harbour festival plans \(UUID().uuidString.prefix(8))"
            let first = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/interactions",
                [
                    "kind": "meeting", "occurred_at": "2025-05-01T09:00:00Z", "subject": subject,
                    "description": "bring the kayak",
                    "attendees": ["dana@example.com"], "key": "uid-1",
                ], token: token)
            #expect(first.status == .created, "\(first.body.string)")
            let again = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/interactions",
                ["kind": "meeting", "occurred_at": "2025-05-01T09:00:00Z", "subject": subject, "key": "uid-1"],
                token: token)
            #expect(again.status == .ok, "the same key is the same interaction")
            for (day, count) in [("2026-01-02T00:00:00Z", 7), ("2026-01-03T00:00:00Z", 2)] {
                let messages = try await api.sendJSON(
                    .POST, "/api/v1/people/\(id)/interactions",
                    ["kind": "message", "occurred_at": day, "count": count], token: token)
                #expect(messages.status == .created)
            }
            let mail = try await api.sendJSON(
                .POST, "/api/v1/people/\(id)/interactions",
                ["kind": "mail", "occurred_at": "2026-02-01T12:00:00Z", "subject": "Re: plans"],
                token: token)
            #expect(mail.status == .created)

            let timeline = try api.object(
                try await api.send(.GET, "/api/v1/people/\(id)/timeline?order=oldest", token: token))
            let items = timeline["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["kind"] as? String } == ["meeting", "message", "message", "mail"])
            #expect(
                items.first?["subject"] as? String == subject
                    && items.first?["description"] as? String == "bring the kayak")
            #expect(
                (timeline["first_contact"] as? [String: Any])?["subject"] as? String == subject, "how you know them")
            #expect(timeline["last_contact_at"] as? String == "2026-02-01T12:00:00Z")
            let counts = timeline["counts"] as? [String: Int] ?? [:]
            #expect(counts == ["mail": 1, "meeting": 1, "message": 9, "social": 0])
            let newest = try api.items(try await api.send(.GET, "/api/v1/people/\(id)/timeline?limit=1", token: token))
            #expect(newest.first?["kind"] as? String == "mail")

            // Nothing of the subject, description or attendees is in the database in clear.
            for row in try await Interaction.query(on: app.db).all() {
                for sealed in [row.sealedSubject, row.sealedDescription, row.sealedAttendees].compactMap({ $0 }) {
                    let text = String(decoding: sealed, as: UTF8.self)
                    #expect(!text.contains("Harbour") && !text.contains("kayak") && !text.contains("dana@"))
                }
                #expect(!row.dedupKey.contains("Harbour"))
            }
            #expect(
                try await Interaction.query(on: app.db).all().compactMap(\.searchTokens).count == 2,
                "the meeting's and the mail's subjects; messages have none")
            #expect(try await Interaction.query(on: app.db).count() == 4)
        }
    }

    @Test("The list sorts by last contact and by amount of contact, and pages through either")
    func sortsByContact() async throws {
        try await withLoamApp { app in
            let api = APIClient(app: app)
            let token = try await api.signedIn("owner@example.com")
            var ids: [String: String] = [:]
            for name in ["Ann", "Bob", "Cat"] { ids[name] = try await api.person(["name": name], token: token) }
            let contacts: [(String, String)] = [
                ("Ann", "2026-01-01T00:00:00Z"), ("Bob", "2026-03-01T00:00:00Z"), ("Bob", "2025-03-01T00:00:00Z"),
                ("Bob", "2024-03-01T00:00:00Z"),
            ]
            for (name, time) in contacts {
                _ = try await api.sendJSON(
                    .POST, "/api/v1/people/\(ids[name]!)/interactions", ["kind": "mail", "occurred_at": time],
                    token: token)
            }
            func names(_ sort: String) async throws -> [String] {
                var result: [String] = []
                var cursor: String?
                repeat {
                    let page = try api.object(
                        try await api.send(
                            .GET, "/api/v1/people?limit=2&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? ""),
                            token: token))
                    result += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                    cursor = page["next_cursor"] as? String
                } while cursor != nil
                return result
            }
            #expect(try await names("last_contact") == ["Bob", "Ann", "Cat"], "never contacted comes last")
            #expect(try await names("interactions") == ["Bob", "Ann", "Cat"])
            #expect(try await names("name") == ["Ann", "Bob", "Cat"])
            #expect(
                try await api.send(.GET, "/api/v1/people?sort=shoe-size", token: token).status == .unprocessableEntity)
        }
    }
}
