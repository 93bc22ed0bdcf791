import Fluent
import Foundation
import LoamKit
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import LoamServer

/// The search index answers what a user would ask it (which mails and notes say a word, about whom) without a
/// word of them in clear, and only ever with the asking user's records.
@Suite("Search index")
struct SearchEntryTests {
    private struct Searcher {
        let app: Application
        let user: User

        func matches(_ query: String, in field: String) async throws -> [SearchEntry.Match] {
            let owner = OwnerID.user(try user.requireID().uuidString.lowercased())
            return try await SearchEntry.matches(
                of: query, field: field, ownerID: try user.requireID(),
                blindIndex: try await app.keyring.blindIndex(for: owner, on: app.db), on: app.db)
        }

        /// The names of the people a search of mail subjects leads to.
        func people(_ query: String) async throws -> [String] {
            var names: [String] = []
            for match in try await matches(query, in: InteractionRecord.subjectSearchField) {
                names.append(try #require(try await Person.find(match.personID, on: app.db)).name)
            }
            return names.sorted()
        }
    }

    private func signUp(_ app: Application, _ email: String) async throws -> (Searcher, String) {
        let api = APIClient(app: app)
        let token = try await api.signedIn(email)
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        return (Searcher(app: app, user: user), token)
    }

    private static let mailbox = ImportFixtures.mbox([
        .init(
            from: "Dana Oster <dana@example.com>", to: "me@example.com", cc: "Bo Lind <bo@example.net>",
            subject: "Harbour kayak trip"),
        .init(from: "Eli Park <eli@example.org>", to: "me@example.com", subject: "Quarterly numbers"),
        .init(from: "Dana Oster <dana@example.com>", to: "me@example.com", subject: "Re: Kayak rental, Ærøskøbing"),
    ])

    @Test("An imported mail is found by any words of its subject, in any case or accent, and leads to everyone on it")
    func importedSubjects() async throws {
        try await withLoamApp { app in
            let (me, _) = try await signUp(app, "me@example.com")
            _ = try await app.imports(for: me.user).importFile(
                path: try ImportFixtures.write(Self.mailbox, name: "mail.mbox"), format: nil)

            #expect(
                try await me.people("kayak") == ["Bo Lind", "Dana Oster", "Dana Oster"], "two mails, three interactions"
            )
            #expect(try await me.people("KAYAK harbour") == ["Bo Lind", "Dana Oster"], "every word must match")
            #expect(try await me.people("aeroskobing") == ["Dana Oster"], "folded as the index folds")
            #expect(try await me.people("numbers") == ["Eli Park"])
            #expect(try await me.people("kayak numbers").isEmpty)
            #expect(try await me.people("kaya").isEmpty, "a word, not a part of one")
            #expect(try await me.people("boat").isEmpty)
            #expect(try await me.people("  ").isEmpty, "no searchable word finds nothing")
            #expect(try await me.matches("kayak", in: PeopleScope.noteSearchField).isEmpty, "fields are apart")

            // No subject word is in the index in clear.
            let indexed = try await Interaction.query(on: app.db).all().compactMap(\.searchTokens)
            #expect(indexed.count == 4, "one per person on each mail")
            for tokens in indexed {
                #expect(!tokens.lowercased().contains("kayak") && !tokens.lowercased().contains("harbour"))
                #expect(tokens.split(separator: " ").allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
            }

            // Importing the file again adds nothing to find.
            _ = try await app.imports(for: me.user).importFile(
                path: try ImportFixtures.write(Self.mailbox, name: "mail.mbox"), format: nil)
            #expect(try await me.people("kayak") == ["Bo Lind", "Dana Oster", "Dana Oster"])
        }
    }

    @Test("Another user's mail with the same words is never found, even by the same words")
    func otherUsersStayApart() async throws {
        try await withLoamApp { app in
            let (me, _) = try await signUp(app, "me@example.com")
            let (other, _) = try await signUp(app, "other@example.com")
            let theirs = ImportFixtures.mbox([
                .init(from: "Mallory <mallory@example.com>", to: "other@example.com", subject: "Harbour kayak trip")
            ])
            _ = try await app.imports(for: other.user).importFile(
                path: try ImportFixtures.write(theirs, name: "theirs.mbox"), format: nil)
            _ = try await app.imports(for: me.user).importFile(
                path: try ImportFixtures.write(Self.mailbox, name: "mail.mbox"), format: nil)

            #expect(try await me.people("harbour kayak") == ["Bo Lind", "Dana Oster"])
            #expect(try await other.people("harbour kayak") == ["Mallory"])
            #expect(try await other.people("numbers").isEmpty)
            // The same word gives each user other tokens: one user's tokens match nothing of the other's.
            func tokens(of user: User) async throws -> Set<Substring> {
                Set(
                    try await Interaction.query(on: app.db).filter(\.$ownerID == user.requireID()).all().compactMap(
                        \.searchTokens
                    )
                    .flatMap { $0.split(separator: " ") })
            }
            let mine = try await tokens(of: me.user)
            let their = try await tokens(of: other.user)
            #expect(!mine.isEmpty && !their.isEmpty && mine.isDisjoint(with: their))
        }
    }

    @Test(
        "A note is found by its words, by its new words once edited, and not at all once deleted or its person merged away"
    )
    func notesFollowEdits() async throws {
        try await withLoamApp { app in
            let (me, token) = try await signUp(app, "me@example.com")
            let api = APIClient(app: app)
            let robert = try await api.person(["name": "Robert Smith", "emails": ["rob@example.com"]], token: token)
            let bob = try await api.person(["name": "Bob Smith", "emails": ["bob@home.example"]], token: token)
            let added = try await api.sendJSON(
                .POST, "/api/v1/people/\(bob)/notes", ["body": "Likes climbing in Leith"], token: token)
            _ = try await api.sendJSON(
                .POST, "/api/v1/people/\(bob)/interactions",
                [
                    "kind": "mail", "occurred_at": "2026-03-01T10:00:00Z", "subject": "Regatta results",
                    "key": "<r1@example.com>",
                ], token: token)
            let note = try #require(try api.object(added)["id"] as? String)
            func found(_ query: String) async throws -> [String] {
                try await me.matches(query, in: PeopleScope.noteSearchField).map { $0.personID.uuidString.lowercased() }
            }
            #expect(try await found("climbing leith") == [bob.lowercased()])

            #expect(
                try await api.sendJSON(
                    .PATCH, "/api/v1/people/\(bob)/notes/\(note)", ["body": "Now into sailing"], token: token
                ).status == .ok)
            #expect(try await found("climbing").isEmpty, "the old words are gone")
            #expect(try await found("sailing") == [bob.lowercased()])

            #expect(try await me.people("regatta") == ["Bob Smith"])

            // A merge moves the note and the mail, and the search leads to the survivor.
            #expect(
                try await api.sendJSON(.POST, "/api/v1/people/\(robert)/merge", ["other_id": bob], token: token).status
                    == .created)
            #expect(try await found("sailing") == [robert.lowercased()])
            #expect(try await me.people("regatta") == ["Robert Smith"])

            let notes = try api.items(try await api.send(.GET, "/api/v1/people/\(robert)/notes", token: token))
            let moved = try #require(notes.first?["id"] as? String)
            #expect(
                try await api.send(.DELETE, "/api/v1/people/\(robert)/notes/\(moved)", token: token).status
                    == .noContent)
            #expect(try await found("sailing").isEmpty)
            #expect(try await SearchEntry.query(on: app.db).count() == 0)
            #expect(try await api.send(.DELETE, "/api/v1/people/\(robert)", token: token).status == .noContent)
            #expect(try await me.people("regatta").isEmpty)
        }
    }

    @Test("The migrations from one row per token fold every token into its record, and back")
    func migrationRoundTrip() async throws {
        try await withLoamApp { app in
            let (me, token) = try await signUp(app, "me@example.com")
            _ = try await app.imports(for: me.user).importFile(
                path: try ImportFixtures.write(Self.mailbox, name: "mail.mbox"), format: nil)
            let api = APIClient(app: app)
            let dana = try #require(try await Person.query(on: app.db).filter(\.$name == "Dana Oster").first())
                .requireID()
            _ = try await api.sendJSON(
                .POST, "/api/v1/people/\(dana.uuidString)/notes", ["body": "Kayak instructor"], token: token)
            // Every record's tokens, wherever they are kept.
            func snapshot() async throws -> [String: Set<String>] {
                var result: [String: Set<String>] = [:]
                for entry in try await SearchEntry.query(on: app.db).all() {
                    result["\(entry.field) \(entry.recordID) \(entry.personID)", default: []].formUnion(entry.tokenList)
                }
                for row in try await Interaction.query(on: app.db).all() {
                    guard let tokens = row.searchTokens else { continue }
                    result[
                        "\(InteractionRecord.subjectSearchField) \(try row.requireID()) \(row.$person.id)", default: []
                    ]
                    .formUnion(tokens.split(separator: " ").map(String.init))
                }
                return result
            }
            let before = try await snapshot()
            #expect(before.count == 5, "four interactions with a subject and a note")

            // One database handle for every step, as Fluent's migrator uses one per migration: each `app.db` may be
            // another SQLite connection, and a connection that did not make a schema change can refuse the next
            // one from what it last read ("duplicate column name").
            let db = app.db
            try await MoveSubjectTokensToInteractions().revert(on: db)
            #expect(try await SearchEntry.query(on: db).count() == 5, "all in search_entries again")
            try await MoveSearchTokensToEntries().revert(on: db)
            let sql = try db.sql()
            let rows = try await sql.raw("SELECT count(*) AS n FROM \(ident: CreateSearchTokens.schema)").first()?
                .decode(column: "n", as: Int.self)
            #expect(rows == before.values.reduce(0) { $0 + $1.count }, "one row per token")

            try await MoveSearchTokensToEntries().prepare(on: db)
            try await MoveSubjectTokensToInteractions().prepare(on: db)
            #expect(try await snapshot() == before)
            #expect(try await SearchEntry.query(on: app.db).count() == 1, "only the note is in search_entries")
            #expect(try await me.people("kayak") == ["Bo Lind", "Dana Oster", "Dana Oster"])
            #expect(try await me.matches("kayak", in: PeopleScope.noteSearchField).map(\.personID) == [dana])
        }
    }
}
