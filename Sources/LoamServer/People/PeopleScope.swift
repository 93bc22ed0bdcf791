import Fluent
import Foundation
import LoamKit
import Vapor

/// The only way to people, their identities and notes: every query is bound to the acting user, and
/// the scope cannot be made without one. A person of someone else is `PeopleError.notFound`, the same
/// answer as for an id that does not exist, so ids reveal nothing.
struct PeopleScope: Sendable {
    let app: Application
    let actorID: UUID
    /// For phone numbers written without a country code.
    let phoneRegion: String

    init(app: Application, actor: User) throws {
        self.app = app
        self.actorID = try actor.requireID()
        self.phoneRegion = actor.phoneRegion
    }

    var db: any Database { app.db }
    var now: Date { app.clock.now() }
    private var owner: OwnerID { .user(actorID.uuidString.lowercased()) }

    // MARK: People

    func person(_ id: UUID?) async throws -> Person {
        guard let id, let person = try await Person.query(on: db).filter(\.$id == id).filter(\.$owner.$id == actorID).first()
        else { throw PeopleError.notFound }
        return person
    }

    /// A page of people by name; `cursor` continues after the last one of the previous page.
    func list(cursor: String?, limit: Int) async throws -> (people: [Person], next: String?) {
        var query = Person.query(on: db).filter(\.$owner.$id == actorID).filter(\.$archivedAt == nil)
        if let cursor {
            let after = try PeopleCursor(cursor)
            query = query.group(.or) { either in
                either.filter(\.$name > after.name)
                either.group(.and) { same in
                    same.filter(\.$name == after.name)
                    same.filter(\.$id > after.id)
                }
            }
        }
        let people = try await query.sort(\.$name).sort(\.$id).limit(limit + 1).all()
        let page = Array(people.prefix(limit))
        let next = people.count > limit ? try page.last.map { PeopleCursor(name: $0.name, id: try $0.requireID()).encoded } : nil
        return (page, next)
    }

    /// Adds a person, or — when one of `identities` already names one of the user's people — adds the
    /// new facts to that person instead (`merged`). Identities of two different people are refused.
    func create(name rawName: String, company: String?, title: String?, identities: [NormalizedIdentity], source: String)
        async throws -> (Person, merged: Bool)
    {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else { throw PeopleError.invalidName }
        let actorID = self.actorID, now = self.now
        return try await db.writeTransaction { tx in
            var owners: Set<UUID> = []
            for identity in identities {
                if let existing = try await PersonIdentity.query(on: tx).filter(\.$ownerID == actorID)
                    .filter(\.$kind == identity.kind.rawValue).filter(\.$value == identity.value).first()
                {
                    owners.insert(existing.$person.id)
                }
            }
            guard owners.count <= 1 else { throw PeopleError.identitiesOfSeveralPeople }
            let person: Person
            let merged: Bool
            if let id = owners.first, let existing = try await Person.find(id, on: tx) {
                person = existing
                merged = true
                // The user's earlier facts win; only what is missing is filled in.
                if person.company == nil { person.company = company }
                if person.title == nil { person.title = title }
                try await person.save(on: tx)
            } else {
                person = Person(ownerID: actorID, name: name, company: company, title: title)
                try await person.create(on: tx)
                merged = false
            }
            let personID = try person.requireID()
            let known = Set(try await PersonIdentity.query(on: tx).filter(\.$person.$id == personID).all().map { "\($0.kind):\($0.value)" })
            for identity in Set(identities) where !known.contains("\(identity.kind.rawValue):\(identity.value)") {
                try await PersonIdentity(
                    personID: personID, ownerID: actorID, kind: identity.kind.rawValue, value: identity.value, source: source,
                    seenAt: now
                ).create(on: tx)
            }
            return (person, merged)
        }
    }

    func identities(of person: Person) async throws -> [PersonIdentity] {
        try await PersonIdentity.query(on: db).filter(\.$person.$id == (try person.requireID()))
            .filter(\.$ownerID == actorID).sort(\.$kind).sort(\.$value).all()
    }

    func delete(_ id: UUID?) async throws {
        let person = try await person(id)
        try await db.writeTransaction { tx in try await person.delete(on: tx) }
    }

    // MARK: Identities from input

    /// Normalizes what a client sent; the position of a bad entry is reported, nothing is guessed.
    func normalize(emails: [String], phones: [String]) throws -> [NormalizedIdentity] {
        var identities: [NormalizedIdentity] = []
        for (position, raw) in emails.enumerated() {
            guard let value = IdentityNormalizer.email(raw) else { throw PeopleError.invalidIdentity(kind: "email", position: position) }
            identities.append(NormalizedIdentity(kind: .email, value: value))
        }
        for (position, raw) in phones.enumerated() {
            guard let value = IdentityNormalizer.phone(raw, defaultRegion: phoneRegion) else {
                throw PeopleError.invalidIdentity(kind: "phone", position: position)
            }
            identities.append(NormalizedIdentity(kind: .phone, value: value))
        }
        return identities
    }

    // MARK: Notes

    static let maximumNoteLength = 100_000

    /// Seals `body` under the author's data key, bound to the note's row.
    func addNote(to personID: UUID?, body: String) async throws -> (PersonNote, String) {
        let person = try await person(personID)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.count <= Self.maximumNoteLength else {
            throw PeopleError.invalidNote
        }
        let noteID = UUID()
        let actorID = self.actorID, owner = self.owner, keyring = app.keyring
        let note = try await db.writeTransaction { tx in
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let sealed = try cipher.seal(body, context: Self.noteContext(noteID, owner: owner))
            let note = PersonNote(id: noteID, personID: try person.requireID(), authorID: actorID, sealedBody: sealed)
            try await note.create(on: tx)
            return note
        }
        return (note, body)
    }

    /// The acting user's notes on the person, newest first, opened.
    func notes(of personID: UUID?) async throws -> [(PersonNote, String)] {
        let person = try await person(personID)
        let notes = try await PersonNote.query(on: db).filter(\.$person.$id == (try person.requireID()))
            .filter(\.$authorID == actorID).sort(\.$createdAt, .descending).all()
        let cipher = try await app.keyring.fieldCipher(for: owner, on: db)
        return try notes.map { note in
            (note, try cipher.openString(note.sealedBody, context: Self.noteContext(try note.requireID(), owner: owner)))
        }
    }

    static func noteContext(_ id: UUID, owner: OwnerID) -> FieldContext {
        FieldContext(table: PersonNote.schema, column: "sealed_body", rowID: id.uuidString.lowercased(), owner: owner)
    }
}

/// An opaque position in the name-ordered list: the last name and id of the previous page.
struct PeopleCursor: Codable {
    var name: String
    var id: UUID

    init(name: String, id: UUID) {
        self.name = name
        self.id = id
    }

    init(_ text: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let decoded = try? JSONDecoder().decode(PeopleCursor.self, from: data) else {
            throw PeopleError.invalidCursor
        }
        self = decoded
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Request {
    /// The people of the signed-in user; 401 without one.
    func people() throws -> PeopleScope {
        try PeopleScope(app: application, actor: try requireAuthenticated().user)
    }
}
