import Fluent
import Foundation

extension PeopleScope {
    func groups() async throws -> [PersonGroup] {
        try await PersonGroup.query(on: db).filter(\.$ownerID == actorID).sort(\.$name).all()
    }

    func group(_ id: UUID?) async throws -> PersonGroup {
        guard let id,
            let group = try await PersonGroup.query(on: db).filter(\.$id == id).filter(\.$ownerID == actorID).first()
        else { throw PeopleError.notFound }
        return group
    }

    func createGroup(name: String) async throws -> PersonGroup {
        let group = PersonGroup(ownerID: actorID, name: try Self.validGroupName(name))
        try await saveGroup(group)
        return group
    }

    func renameGroup(_ id: UUID?, to name: String) async throws -> PersonGroup {
        let group = try await group(id)
        group.name = try Self.validGroupName(name)
        try await saveGroup(group)
        return group
    }

    func deleteGroup(_ id: UUID?) async throws {
        let group = try await group(id)
        try await db.writeTransaction { tx in try await group.delete(on: tx) }
    }

    /// How many people each group has, by group id.
    func groupSizes() async throws -> [UUID: Int] {
        let members = try await PersonGroupMember.query(on: db).filter(\.$ownerID == actorID).all()
        return members.reduce(into: [:]) { sizes, member in sizes[member.$group.id, default: 0] += 1 }
    }

    /// The groups a person is in, by name.
    func groups(of person: Person) async throws -> [PersonGroup] {
        let ids = try await PersonGroupMember.query(on: db).filter(\.$person.$id == (try person.requireID()))
            .filter(\.$ownerID == actorID).all().map(\.$group.id)
        return try await PersonGroup.query(on: db).filter(\.$id ~~ ids).filter(\.$ownerID == actorID).sort(\.$name)
            .all()
    }

    /// Puts the person in the group; already there is fine.
    func addToGroup(_ groupID: UUID?, person personID: UUID?) async throws {
        let group = try await group(groupID)
        let person = try await person(personID)
        let groupID = try group.requireID()
        let personID = try person.requireID()
        let actorID = self.actorID
        try await db.writeTransaction { tx in
            guard
                try await PersonGroupMember.query(on: tx).filter(\.$group.$id == groupID).filter(
                    \.$person.$id == personID
                ).first() == nil
            else { return }
            try await PersonGroupMember(groupID: groupID, personID: personID, ownerID: actorID).create(on: tx)
        }
    }

    func removeFromGroup(_ groupID: UUID?, person personID: UUID?) async throws {
        let group = try await group(groupID)
        let person = try await person(personID)
        let groupID = try group.requireID()
        let personID = try person.requireID()
        let actorID = self.actorID
        try await db.writeTransaction { tx in
            try await PersonGroupMember.query(on: tx).filter(\.$group.$id == groupID).filter(\.$person.$id == personID)
                .filter(\.$ownerID == actorID).delete()
        }
    }

    private func saveGroup(_ group: PersonGroup) async throws {
        let actorID = self.actorID
        try await db.writeTransaction { tx in
            let clash = try await PersonGroup.query(on: tx).filter(\.$ownerID == actorID).filter(\.$name == group.name)
                .first()
            if let clash, clash.id != group.id { throw PeopleError.groupNameTaken }
            try await group.save(on: tx)
        }
    }

    static func validGroupName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100, !name.contains(where: \.isNewline) else {
            throw PeopleError.invalidGroupName
        }
        return name
    }
}
