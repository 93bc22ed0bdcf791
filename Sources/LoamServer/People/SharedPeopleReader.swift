import Fluent
import Foundation

/// What a person looks like to someone they were shared with: name, company and title, never an identifier, a
/// note or an interaction.
struct PersonCard: Sendable {
    var id: UUID
    var name: String
    var company: String?
    var title: String?
}

/// People's one read API for sharing: Workspaces sees the people of a shared group only through here.
enum SharedPeopleReader {
    /// The live (not merged away) people of `ownerID`'s group `groupID`. Only the owner's own people: a group can
    /// hold nothing else, but the owner check keeps it so.
    static func cards(inGroup groupID: UUID, ownedBy ownerID: UUID, on db: any Database) async throws -> [PersonCard] {
        let memberIDs = try await PersonGroupMember.query(on: db).filter(\.$group.$id == groupID)
            .filter(\.$ownerID == ownerID).all().map(\.$person.id)
        guard !memberIDs.isEmpty else { return [] }
        return try await Person.query(on: db).filter(\.$id ~~ memberIDs).filter(\.$owner.$id == ownerID)
            .filter(\.$mergedIntoID == nil).all()
            .map { PersonCard(id: try $0.requireID(), name: $0.name, company: $0.company, title: $0.title) }
    }
}
