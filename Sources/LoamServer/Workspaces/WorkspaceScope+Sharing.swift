import Fluent
import Foundation
import LoamKit

/// A person as a workspace shows them: name, company and title only. Contact details (addresses, numbers,
/// profiles) are not part of this type at all, so no route that returns it can leak them.
struct SharedPerson: Sendable {
    var id: UUID
    var name: String
    var company: String?
    var title: String?
    var sharedBy: String
}

struct OpenedWorkspaceNote: Sendable {
    var id: UUID
    var author: String
    var body: String
    var createdAt: Date?
}

extension WorkspaceScope {
    static let maximumNoteLength = 100_000

    /// Shares one of the actor's own groups into the workspace; sharing it again is fine.
    func share(group groupID: UUID?, into workspaceID: UUID?) async throws -> (SharedGroup, PersonGroup) {
        let (workspace, _) = try await workspace(workspaceID)
        let group = try await app.people(for: actor).group(groupID)
        let workspaceID = try workspace.requireID()
        let groupID = try group.requireID()
        let actorID = self.actorID
        let shared = try await db.writeTransaction { tx in
            if let existing = try await SharedGroup.query(on: tx).filter(\.$workspace.$id == workspaceID).filter(
                \.$group.$id == groupID
            ).first() {
                return existing
            }
            let shared = SharedGroup(workspaceID: workspaceID, groupID: groupID, sharedBy: actorID)
            try await shared.create(on: tx)
            return shared
        }
        return (shared, group)
    }

    /// Stops sharing a group: its sharer or an admin may.
    func unshare(group groupID: UUID?, from workspaceID: UUID?) async throws {
        let (workspace, membership) = try await workspace(workspaceID)
        guard let groupID,
            let shared = try await SharedGroup.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
                .filter(\.$group.$id == groupID).first()
        else { throw WorkspaceError.notFound }
        guard shared.sharedBy == actorID || membership.workspaceRole.canManageMembers else {
            throw WorkspaceError.forbidden
        }
        try await db.writeTransaction { tx in try await shared.delete(on: tx) }
    }

    func sharedGroups(of workspaceID: UUID?) async throws -> [(SharedGroup, PersonGroup, User)] {
        let (workspace, _) = try await workspace(workspaceID)
        let shared = try await SharedGroup.query(on: db).filter(\.$workspace.$id == (try workspace.requireID())).all()
        let groups = Dictionary(
            try await PersonGroup.query(on: db).filter(\.$id ~~ shared.map(\.$group.id)).all().map {
                (try $0.requireID(), $0)
            },
            uniquingKeysWith: { first, _ in first })
        let users = Dictionary(
            try await User.query(on: db).filter(\.$id ~~ shared.map(\.sharedBy)).all().map { (try $0.requireID(), $0) },
            uniquingKeysWith: { first, _ in first })
        return shared.compactMap { row in
            guard let group = groups[row.$group.id], let user = users[row.sharedBy] else { return nil }
            return (row, group, user)
        }.sorted { $0.1.name < $1.1.name }
    }

    /// Everyone the workspace can see: the people in groups shared into it, by name.
    func sharedPeople(of workspaceID: UUID?) async throws -> [SharedPerson] {
        let visible = try await visiblePeople(workspaceID)
        return visible.values.sorted {
            ($0.name.lowercased(), $0.id.uuidString) < ($1.name.lowercased(), $1.id.uuidString)
        }
    }

    func sharedPerson(_ personID: UUID?, in workspaceID: UUID?) async throws -> SharedPerson {
        guard let personID, let person = try await visiblePeople(workspaceID)[personID] else {
            throw WorkspaceError.notFound
        }
        return person
    }

    /// Notes written for the workspace about a shared person, newest first, opened with the workspace's key.
    func notes(on personID: UUID?, in workspaceID: UUID?) async throws -> [OpenedWorkspaceNote] {
        let person = try await sharedPerson(personID, in: workspaceID)
        let (workspace, _) = try await workspace(workspaceID)
        let owner = Self.keyOwner(try workspace.requireID())
        let notes = try await WorkspaceNote.query(on: db).filter(\.$workspace.$id == (try workspace.requireID()))
            .filter(\.$person.$id == person.id).sort(\.$createdAt, .descending).sort(\.$id, .descending).all()
        let authors = Dictionary(
            try await User.query(on: db).filter(\.$id ~~ notes.map(\.authorID)).all().map {
                (try $0.requireID(), $0.name)
            },
            uniquingKeysWith: { first, _ in first })
        let cipher = try await app.keyring.fieldCipher(for: owner, on: db)
        return try notes.map { note in
            let id = try note.requireID()
            return OpenedWorkspaceNote(
                id: id, author: authors[note.authorID] ?? "a former member",
                body: try cipher.openString(note.sealedBody, context: Self.noteContext(id, owner)),
                createdAt: note.createdAt)
        }
    }

    /// A note for every member of the workspace about a shared person, sealed with the workspace's key.
    func addNote(on personID: UUID?, in workspaceID: UUID?, body: String) async throws -> OpenedWorkspaceNote {
        let person = try await sharedPerson(personID, in: workspaceID)
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, body.count <= Self.maximumNoteLength else {
            throw PeopleError.invalidNote
        }
        let (workspace, _) = try await workspace(workspaceID)
        let workspaceID = try workspace.requireID()
        let owner = Self.keyOwner(workspaceID)
        let keyring = app.keyring
        let actorID = self.actorID
        let id = UUID()
        let note = try await db.writeTransaction { tx in
            let sealed = try await keyring.fieldCipher(for: owner, on: tx).seal(
                body, context: Self.noteContext(id, owner))
            let note = WorkspaceNote(
                id: id, workspaceID: workspaceID, personID: person.id, authorID: actorID, sealedBody: sealed)
            try await note.create(on: tx)
            return note
        }
        return OpenedWorkspaceNote(id: id, author: actor.name, body: body, createdAt: note.createdAt)
    }

    /// The people in the workspace's shared groups whose sharer is still a member, by id.
    private func visiblePeople(_ workspaceID: UUID?) async throws -> [UUID: SharedPerson] {
        let (workspace, _) = try await workspace(workspaceID)
        let id = try workspace.requireID()
        let members = Set(try await WorkspaceMember.query(on: db).filter(\.$workspace.$id == id).all().map(\.$user.id))
        let shared = try await SharedGroup.query(on: db).filter(\.$workspace.$id == id).all().filter {
            members.contains($0.sharedBy)
        }
        guard !shared.isEmpty else { return [:] }
        let sharers = Dictionary(
            try await User.query(on: db).filter(\.$id ~~ shared.map(\.sharedBy)).all().map {
                (try $0.requireID(), $0.name)
            },
            uniquingKeysWith: { first, _ in first })
        var result: [UUID: SharedPerson] = [:]
        for row in shared {
            for card in try await SharedPeopleReader.cards(inGroup: row.$group.id, ownedBy: row.sharedBy, on: db) {
                result[card.id] = SharedPerson(
                    id: card.id, name: card.name, company: card.company, title: card.title,
                    sharedBy: sharers[row.sharedBy] ?? "")
            }
        }
        return result
    }

    static func keyOwner(_ workspaceID: UUID) -> OwnerID { .workspace(workspaceID.uuidString.lowercased()) }

    static func noteContext(_ id: UUID, _ owner: OwnerID) -> FieldContext {
        FieldContext(
            table: WorkspaceNote.schema, column: "sealed_body", rowID: id.uuidString.lowercased(), owner: owner)
    }
}
