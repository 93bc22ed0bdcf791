import Vapor

/// What can go wrong with people, as the client is told. Another user's person is `notFound`,
/// exactly like one that does not exist.
enum PeopleError: LoamError, Equatable {
    case notFound
    case invalidName
    case invalidIdentity(kind: String, position: Int)
    case identitiesOfSeveralPeople
    case invalidNote
    case invalidCursor

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .invalidName, .invalidIdentity, .invalidNote, .invalidCursor: .unprocessableEntity
        case .identitiesOfSeveralPeople: .conflict
        }
    }

    var problemType: ProblemType {
        switch self {
        case .notFound: .notFound
        case .invalidName, .invalidIdentity, .invalidNote, .invalidCursor: .validation
        case .identitiesOfSeveralPeople: .conflict
        }
    }

    var detail: String {
        switch self {
        case .notFound: "No such person."
        case .invalidName: "Give the person a name (at most 200 characters)."
        case .invalidIdentity(let kind, let position):
            "Entry \(position + 1) of \(kind)s is not a valid \(kind == "phone" ? "phone number for your region (or add the country code)" : "address")."
        case .identitiesOfSeveralPeople:
            "These addresses and numbers belong to more than one of your people. Merge them first, or leave one out."
        case .invalidNote: "A note needs some text (at most 100,000 characters)."
        case .invalidCursor: "The cursor is not one this server gave out."
        }
    }
}
