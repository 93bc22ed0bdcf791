import Fluent
import Foundation
import LoamKit

extension PeopleScope {
    static let maximumNoteLength = 100_000
    static let noteSearchField = "person_notes.body"

    /// Seals `body` under the author's data key, bound to the note's row, and stores its blind-index tokens.
    func addNote(to personID: UUID?, body: String) async throws -> (PersonNote, String) {
        let person = try await person(personID)
        try Self.validateNote(body)
        let noteID = UUID()
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let note = try await db.writeTransaction { tx in
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let sealed = try cipher.seal(body, context: Self.noteContext(noteID, owner: owner))
            let note = PersonNote(id: noteID, personID: try person.requireID(), authorID: actorID, sealedBody: sealed)
            try await note.create(on: tx)
            try await SearchEntry.index(
                body, field: Self.noteSearchField, recordID: noteID, personID: try person.requireID(), ownerID: actorID,
                blindIndex: try await keyring.blindIndex(for: owner, on: tx), on: tx)
            return note
        }
        return (note, body)
    }

    /// Replaces a note's text (sealed again, its search tokens replaced).
    func updateNote(_ noteID: UUID?, of personID: UUID?, body: String) async throws -> (PersonNote, String) {
        let note = try await note(noteID, of: personID)
        try Self.validateNote(body)
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let id = try note.requireID()
        try await db.writeTransaction { tx in
            note.sealedBody = try await keyring.fieldCipher(for: owner, on: tx).seal(
                body, context: Self.noteContext(id, owner: owner))
            try await note.save(on: tx)
            try await SearchEntry.query(on: tx).filter(\.$ownerID == actorID).filter(\.$recordID == id).delete()
            try await SearchEntry.index(
                body, field: Self.noteSearchField, recordID: id, personID: note.$person.id, ownerID: actorID,
                blindIndex: try await keyring.blindIndex(for: owner, on: tx), on: tx)
        }
        return (note, body)
    }

    func deleteNote(_ noteID: UUID?, of personID: UUID?) async throws {
        let note = try await note(noteID, of: personID)
        let actorID = self.actorID
        let id = try note.requireID()
        try await db.writeTransaction { tx in
            try await SearchEntry.query(on: tx).filter(\.$ownerID == actorID).filter(\.$recordID == id).delete()
            try await note.delete(on: tx)
        }
    }

    /// One of the acting user's notes on one of their people; anyone else's is `notFound`.
    private func note(_ noteID: UUID?, of personID: UUID?) async throws -> PersonNote {
        let person = try await person(personID)
        guard let noteID,
            let note = try await PersonNote.query(on: db).filter(\.$id == noteID).filter(
                \.$person.$id == (try person.requireID())
            )
            .filter(\.$authorID == actorID).first()
        else { throw PeopleError.notFound }
        return note
    }

    private static func validateNote(_ body: String) throws {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.count <= maximumNoteLength else {
            throw PeopleError.invalidNote
        }
    }

    /// The acting user's notes on the person, newest first, opened.
    func notes(of personID: UUID?) async throws -> [(PersonNote, String)] {
        let person = try await person(personID)
        let notes = try await PersonNote.query(on: db).filter(\.$person.$id == (try person.requireID()))
            .filter(\.$authorID == actorID).sort(\.$createdAt, .descending).sort(\.$id, .descending).all()
        let cipher = try await keyring.fieldCipher(for: owner, on: db)
        return try notes.map { note in
            (
                note,
                try cipher.openString(note.sealedBody, context: Self.noteContext(try note.requireID(), owner: owner))
            )
        }
    }

    static func noteContext(_ id: UUID, owner: OwnerID) -> FieldContext {
        FieldContext(table: PersonNote.schema, column: "sealed_body", rowID: id.uuidString.lowercased(), owner: owner)
    }
}
