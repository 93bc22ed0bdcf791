import Fluent
import Foundation
import LoamKit
import Vapor

/// `/people/{id}`: the person's facts with their sources, identities, groups, notes and timeline, and the
/// forms that change them.
extension PeoplePagesController {
    func bootPerson(_ people: any RoutesBuilder) {
        people.get(":personID", use: personPage)
        people.post(":personID", use: update)
        people.post(":personID", "favourite", use: toggleFavourite)
        people.post(":personID", "archive", use: toggleArchive)
        people.post(":personID", "delete", use: delete)
        people.post(":personID", "identities", use: addIdentity)
        people.post(":personID", "identities", ":identityID", "delete", use: removeIdentity)
        people.post(":personID", "groups", use: addToGroup)
        people.post(":personID", "groups", ":groupID", "remove", use: removeFromGroup)
        people.post(":personID", "notes", use: addNote)
        people.post(":personID", "notes", ":noteID", "delete", use: deleteNote)
    }

    struct PersonPage: Encodable {
        var id: String
        var name: String
        var company: String?
        var title: String?
        var nameSource: String
        var companySource: String?
        var titleSource: String?
        var isFavourite: Bool
        var archived: Bool
        var identities: [IdentityItem]
        var groups: [Choice]
        var otherGroups: [Choice]
        var notes: [NoteItem]
        var firstContact: String?
        var lastContact: String?
        var counts: [Choice]
        var timeline: [TimelineItem]
        var notice: String?
        var error: String?
    }

    struct IdentityItem: Encodable {
        var id: String
        var kind: String
        var value: String
        var source: String
    }

    struct NoteItem: Encodable {
        var id: String
        var time: String
        var body: String
    }

    struct TimelineItem: Encodable {
        var time: String
        var kind: String
        var subject: String?
        var detail: String?
    }

    struct EditForm: Content {
        var name: String?
        var company: String?
        var title: String?
    }

    struct IdentityForm: Content {
        var kind: String?
        var value: String?
    }

    struct GroupForm: Content {
        var groupId: String?
        var newGroup: String?

        // Forms are not JSON: the snake_case strategy does not reach them.
        enum CodingKeys: String, CodingKey {
            case groupId = "group_id"
            case newGroup = "new_group"
        }
    }

    struct NoteForm: Content {
        var body: String?
    }

    enum PersonNotice: String, PageNotice {
        case saved = "saved"
        case noteAdded = "note-added"

        var text: String {
            switch self {
            case .saved: "Saved. Your edits win over anything a later import brings."
            case .noteAdded: "Note added. Only you can read it."
            }
        }
    }

    @Sendable
    func personPage(request: Request) async throws -> Response {
        let scope = try request.people()
        let notice = request.notice(PersonNotice.self)
        return try await renderPerson(request, scope, notice: notice, error: nil, status: .ok)
    }

    func renderPerson(
        _ request: Request, _ scope: PeopleScope, notice: String?, error: String?, status: HTTPResponseStatus
    ) async throws
        -> Response
    {
        let person = try await scope.person(request.parameters.get("personID", as: UUID.self))
        let dates = scope.pageDates
        let groups = try await scope.groups(of: person)
        let memberIDs = Set(groups.compactMap(\.id))
        let summary = try await scope.contactSummary(of: person)
        let (timeline, _) = try await scope.timeline(
            of: try person.requireID(), oldestFirst: false, cursor: nil, limit: 50)
        let page = PersonPage(
            id: try person.requireID().uuidString, name: person.name, company: person.company, title: person.title,
            nameSource: person.nameSource, companySource: person.companySource, titleSource: person.titleSource,
            isFavourite: person.isFavourite, archived: person.archivedAt != nil,
            identities: try await scope.identities(of: person).map {
                IdentityItem(
                    id: $0.id.uuidString, kind: Self.kindLabel($0.kind), value: $0.value, source: $0.source
                )
            },
            groups: try groups.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: true) },
            otherGroups: try await scope.groups().filter { !memberIDs.contains($0.id ?? UUID()) }.map {
                Choice(value: try $0.requireID().uuidString, label: $0.name, selected: false)
            },
            notes: try await scope.notes(of: try person.requireID()).map {
                NoteItem(id: try $0.0.requireID().uuidString, time: dates.format($0.0.createdAt), body: $0.1)
            },
            firstContact: summary.firstContact.map { "\(dates.format($0.occurredAt)): \(Self.describe($0))" },
            lastContact: summary.lastContactAt.map(dates.format),
            counts: InteractionKind.allCases.compactMap { kind in
                summary.counts[kind].map {
                    Choice(value: String($0), label: Self.countLabel(kind, $0), selected: false)
                }
            },
            timeline: timeline.map {
                TimelineItem(
                    time: dates.format($0.occurredAt), kind: Self.word($0.kind), subject: $0.subject,
                    detail: $0.kind == .message
                        ? "\($0.count) messages" : ($0.attendees.isEmpty ? nil : $0.attendees.joined(separator: ", ")))
            },
            notice: notice, error: error)
        return try await request.renderPage("people/person", title: person.name, page, status: status)
    }

    @Sendable
    func update(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let form = try request.content.decode(EditForm.self)
            _ = try await scope.update(
                id, PersonChange(name: form.name, company: form.company ?? "", title: form.title ?? ""))
            return .saved
        }
    }

    @Sendable
    func toggleFavourite(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let person = try await scope.person(id)
            _ = try await scope.update(id, PersonChange(isFavourite: !person.isFavourite))
            return nil
        }
    }

    @Sendable
    func toggleArchive(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let person = try await scope.person(id)
            _ = try await scope.update(id, PersonChange(archived: person.archivedAt == nil))
            return nil
        }
    }

    @Sendable
    func delete(request: Request) async throws -> Response {
        let scope = try request.people()
        try await scope.delete(request.parameters.get("personID", as: UUID.self))
        return request.seeOther("/people")
    }

    @Sendable
    func addIdentity(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let form = try request.content.decode(IdentityForm.self)
            _ = try await scope.addIdentity(to: id, kind: form.kind ?? "", value: form.value ?? "")
            return nil
        }
    }

    @Sendable
    func removeIdentity(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            try await scope.removeIdentity(request.parameters.get("identityID", as: UUID.self), of: id)
            return nil
        }
    }

    @Sendable
    func addToGroup(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let form = try request.content.decode(GroupForm.self)
            let groupID: UUID?
            if let name = PersonText.cleanText(form.newGroup) {
                groupID = try await scope.createGroup(name: name).id
            } else {
                groupID = form.groupId.flatMap(UUID.init(uuidString:))
            }
            try await scope.addToGroup(groupID, person: id)
            return nil
        }
    }

    @Sendable
    func removeFromGroup(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            try await scope.removeFromGroup(request.parameters.get("groupID", as: UUID.self), person: id)
            return nil
        }
    }

    @Sendable
    func deleteNote(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            try await scope.deleteNote(request.parameters.get("noteID", as: UUID.self), of: id)
            return nil
        }
    }

    @Sendable
    func addNote(request: Request) async throws -> Response {
        try await change(request) { scope, id in
            let form = try request.content.decode(NoteForm.self)
            _ = try await scope.addNote(to: id, body: form.body ?? "")
            return .noteAdded
        }
    }

    /// Runs one change to the person and goes back to their page; a refused change shows the page again
    /// with the reason, and nothing changed.
    private func change(_ request: Request, _ body: (PeopleScope, UUID) async throws -> PersonNotice?) async throws
        -> Response
    {
        let scope = try request.people()
        let id = try await scope.person(request.parameters.get("personID", as: UUID.self)).requireID()
        return try await request.postRedirectGet(refusedWith: PeopleError.self) {
            ("/people/\(id)", try await body(scope, id))
        } showRefusal: { error in
            try await renderPerson(request, scope, notice: nil, error: error.detail, status: error.status)
        }
    }

    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "email": "Email"
        case "phone": "Phone"
        case "handle": "Handle"
        case "profile_url": "Profile"
        default: "Account id"
        }
    }

    static func countLabel(_ kind: InteractionKind, _ count: Int) -> String {
        let one = count == 1
        return switch kind {
        case .mail: one ? "1 mail" : "\(count) mails"
        case .meeting: one ? "1 meeting" : "\(count) meetings"
        case .message: one ? "1 message" : "\(count) messages"
        case .social: one ? "1 connection" : "\(count) connections"
        }
    }

    static func word(_ kind: InteractionKind) -> String {
        switch kind {
        case .mail: "Mail"
        case .meeting: "Meeting"
        case .message: "Messages"
        case .social: "Connected"
        }
    }

    static func describe(_ interaction: OpenedInteraction) -> String {
        let what = word(interaction.kind)
        return interaction.subject.map { "\(what) “\($0)”" } ?? what
    }
}
