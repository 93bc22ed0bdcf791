import Fluent
import Foundation
import LoamKit
import Vapor

/// The people web pages: the list (`/people`), a person (`+Person`), the Duplicates review and groups
/// (`+Review`). Plain forms that work without JavaScript; every POST passes `CSRFMiddleware` first and
/// answers with a redirect, so a reload never posts twice.
struct PeoplePagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let people = routes.grouped("people").signedInPages(landing: "/people")
        people.get(use: listPage)
        people.post(use: create)
        bootPerson(people)
        bootReview(routes)
    }

    struct ListPage: Encodable {
        var people: [Row]
        var sort: String
        var sorts: [Choice]
        var groups: [Choice]
        var groupID: String?
        var archived: Bool
        var nextLink: String?
        var error: String?
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var company: String?
        var title: String?
        var isFavourite: Bool
        var lastContact: String
        var interactionCount: Int
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct CreateForm: Content {
        var name: String?
        var email: String?
        var phone: String?
        var company: String?
        var title: String?
    }

    @Sendable
    func listPage(request: Request) async throws -> Response {
        let scope = try request.people()
        return try await renderList(request, scope, error: nil, status: .ok)
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        let scope = try request.people()
        let form = try request.content.decode(CreateForm.self)
        do {
            let identities = try scope.normalize(
                emails: [form.email].compactMap { PersonText.cleanText($0) },
                phones: [form.phone].compactMap { PersonText.cleanText($0) })
            let (person, _) = try await scope.create(
                name: form.name ?? "", company: PersonText.cleanFact(form.company),
                title: PersonText.cleanFact(form.title),
                identities: identities, source: "user")
            return request.seeOther("/people/\(try person.requireID())")
        } catch let error as PeopleError {
            return try await renderList(request, scope, error: error.detail, status: error.status)
        }
    }

    private func renderList(_ request: Request, _ scope: PeopleScope, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        // A bad query string shows the first page rather than an error page.
        var options = (try? PeopleListOptions(query: request)) ?? PeopleListOptions()
        options.limit = 50
        let (people, next) = try await scope.list(options)
        let dates = scope.pageDates
        let groups = try await scope.groups()
        let sortLabels: [(PeopleListOptions.Sort, String)] = [
            (.name, "Name"), (.lastContact, "Last contact"), (.interactions, "Most contact"),
        ]
        var nextLink: String?
        if let next {
            var query = ["sort=\(options.sort.rawValue)", "cursor=\(next)"]
            if let group = options.groupID { query.append("group=\(group)") }
            if options.archived { query.append("archived=true") }
            nextLink = "/people?" + query.joined(separator: "&")
        }
        let page = ListPage(
            people: try people.map {
                Row(
                    id: try $0.requireID().uuidString, name: $0.name, company: $0.company, title: $0.title,
                    isFavourite: $0.isFavourite,
                    lastContact: $0.lastContactAt.map(dates.format) ?? "never", interactionCount: $0.interactionCount)
            },
            sort: options.sort.rawValue,
            sorts: sortLabels.map { Choice(value: $0.0.rawValue, label: $0.1, selected: $0.0 == options.sort) },
            groups: try groups.map {
                Choice(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == options.groupID)
            },
            groupID: options.groupID?.uuidString, archived: options.archived, nextLink: nextLink, error: error)
        return try await request.renderPage(
            "people/list", title: options.archived ? "Archived people" : "People", page, status: status)
    }
}

extension PeopleScope {
    /// Dates in the user's own time zone (the signed-in user's, already at hand).
    var pageDates: PageDates { PageDates(timeZone: timeZone) }
}
