import Fluent
import Foundation
import LoamKit
import Vapor

/// The people API's wire shapes. Models never go on the wire; these do, in snake_case.
enum PeopleDTO {
    struct Create: Content {
        var name: String
        var emails: [String]?
        var phones: [String]?
        var company: String?
        var title: String?
    }

    struct Update: Content {
        var name: String?
        var company: String?
        var title: String?
        var isFavourite: Bool?
        var archived: Bool?
    }

    struct Identity: Content {
        var id: UUID
        var kind: String
        var value: String
        /// Where it came from: `user`, `api`, or an import's source.
        var source: String
        var seenAt: Date
    }

    struct NewIdentity: Content {
        var kind: String
        var value: String
    }

    struct Sources: Content {
        var name: String
        var company: String?
        var title: String?
    }

    struct GroupRef: Content {
        var id: UUID
        var name: String
    }

    struct Person: Content {
        var id: UUID
        var name: String
        var company: String?
        var title: String?
        var isFavourite: Bool
        var archived: Bool
        var identities: [Identity]
        var groups: [GroupRef]
        /// Which source each fact came from.
        var sources: Sources
        var firstContactAt: Date?
        var lastContactAt: Date?
        var interactionCount: Int
        var createdAt: Date?
        var updatedAt: Date?
        /// Set on create: true when the facts went to a person the user already had.
        var merged: Bool?
    }

    /// A person in a list or a pair: no identities, so lists stay small.
    struct Summary: Content {
        var id: UUID
        var name: String
        var company: String?
        var title: String?
        var isFavourite: Bool
        var lastContactAt: Date?
        var interactionCount: Int

        init(_ person: LoamServer.Person) throws {
            id = try person.requireID()
            name = person.name
            company = person.company
            title = person.title
            isFavourite = person.isFavourite
            lastContactAt = person.lastContactAt
            interactionCount = person.interactionCount
        }
    }

    struct NoteRequest: Content {
        var body: String
    }

    struct Note: Content {
        var id: UUID
        var body: String
        var createdAt: Date?
    }

    struct NewInteraction: Content {
        var kind: String
        var occurredAt: Date
        var subject: String?
        var description: String?
        var attendees: [String]?
        var count: Int?
        var key: String?
    }

    /// An interaction as the owner sees it, opened.
    typealias Interaction = OpenedInteraction

    struct Timeline: Content {
        /// "How you know them": the earliest interaction.
        var firstContact: Interaction?
        var lastContactAt: Date?
        /// Per kind (`mail`, `meeting`, `message`, `social`); messages count each message.
        var counts: [String: Int]
        var items: [Interaction]
        var nextCursor: String?
    }

    struct OtherPerson: Content {
        var otherId: UUID
    }

    struct Duplicate: Content {
        var people: [Summary]
        var reason: String
        var explanation: String
    }

    struct Merge: Content {
        var id: UUID
        var survivor: Summary
        var absorbed: Summary
        var madeBy: String
        var createdAt: Date?
        var undoneAt: Date?
    }

    struct UndoResult: Content {
        var survivor: Summary
        var restored: Summary
    }

    struct Group: Content {
        var id: UUID
        var name: String
        var size: Int
        var createdAt: Date?
    }

    struct GroupRequest: Content {
        var name: String
    }
}
