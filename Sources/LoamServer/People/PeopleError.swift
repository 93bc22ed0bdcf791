import Vapor

/// What can go wrong with people, as the client is told. Another user's person is `notFound`,
/// exactly like one that does not exist.
enum PeopleError: LoamError, Equatable {
    case notFound
    case invalidName
    case invalidIdentity(kind: String, position: Int)
    case invalidIdentityKind
    case identitiesOfSeveralPeople
    case identityOfAnotherPerson
    case conflictingIdentities
    case invalidNote
    case invalidGroupName
    case groupNameTaken
    case invalidInteraction(String)
    case invalidQuery(String)
    case mergeWithItself
    case mergeAlreadyUndone
    case laterMergeFirst

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .invalidName, .invalidIdentity, .invalidIdentityKind, .invalidNote, .invalidGroupName,
            .invalidInteraction, .invalidQuery, .mergeWithItself:
            .unprocessableEntity
        case .identitiesOfSeveralPeople, .identityOfAnotherPerson, .conflictingIdentities, .groupNameTaken,
            .mergeAlreadyUndone, .laterMergeFirst:
            .conflict
        }
    }

    var problemType: ProblemType {
        switch status {
        case .notFound: .notFound
        case .unprocessableEntity: .validation
        default: .conflict
        }
    }

    var detail: String {
        switch self {
        case .notFound: "No such person."
        case .invalidName: "Give the person a name (at most 200 characters, one line)."
        case .invalidIdentity(let kind, let position):
            "Entry \(position + 1) of \(kind)s is not a valid \(Self.describe(kind))."
        case .invalidIdentityKind: "The kind of an identifier is one of email, phone, handle or profile_url."
        case .identitiesOfSeveralPeople:
            "These addresses and numbers belong to more than one of your people. Merge them first, or leave one out."
        case .identityOfAnotherPerson: "Another of your people has this identifier. Merge the two instead."
        case .conflictingIdentities:
            "The person with this address or number has a different profile on the same site, so they may be someone else. Nothing was merged; compare them in Duplicates."
        case .invalidNote: "A note needs some text (at most 100,000 characters)."
        case .invalidGroupName: "Give the group a name (at most 100 characters, one line)."
        case .groupNameTaken: "You already have a group with this name."
        case .invalidInteraction(let reason), .invalidQuery(let reason): reason
        case .mergeWithItself: "A person cannot be merged with themselves."
        case .mergeAlreadyUndone: "This merge has been undone already."
        case .laterMergeFirst: "The merged person was merged again since. Undo that later merge first."
        }
    }

    private static func describe(_ kind: String) -> String {
        switch kind {
        case "phone": "phone number for your region (or add the country code)"
        case "email": "address"
        case "handle": "handle, written service:handle such as x:@dana"
        default: "profile link"
        }
    }
}
