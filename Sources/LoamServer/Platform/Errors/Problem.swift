import Vapor

/// An RFC 9457 problem details document, as sent under `/api` with `application/problem+json`.
struct Problem: Content, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var requestId: String

    static let mediaType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
}
