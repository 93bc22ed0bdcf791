import Leaf
import Vapor

/// The one place errors become responses: an HTML page for browsers, RFC 9457 problem+json under `/api`.
///
/// Server errors are logged at error level with the request id, which the page and the document
/// also show, so a user's report can be matched to the log. Their internals never reach the client.
struct LoamErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await render(error, for: request)
        }
    }

    private func render(_ error: any Error, for request: Request) async -> Response {
        let rendered = RenderedError(error)
        if rendered.status.code >= 500 {
            // The description helps an operator; the redacting log handler keeps secrets out of it.
            request.logger.error(
                "request failed",
                metadata: [
                    "error_type": .string(String(reflecting: type(of: error))),
                    "error": .string(String(describing: error)),
                ])
        }
        let response: Response
        if request.url.path == "/api" || request.url.path.hasPrefix("/api/") {
            response = problemResponse(rendered, for: request)
        } else {
            response = await pageResponse(rendered, for: request)
        }
        for (name, value) in rendered.headers {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }

    private func problemResponse(_ rendered: RenderedError, for request: Request) -> Response {
        let problem = Problem(
            type: rendered.type.uri, title: rendered.type.title, status: Int(rendered.status.code),
            detail: rendered.detail, instance: request.url.path, requestId: request.requestID)
        let response = Response(status: rendered.status)
        do {
            try response.content.encode(problem, using: JSONCoding.makeEncoder())
        } catch {
            response.body = .init(string: #"{"status":\#(rendered.status.code)}"#)
        }
        response.headers.contentType = Problem.mediaType
        return response
    }

    private func pageResponse(_ rendered: RenderedError, for request: Request) async -> Response {
        let context = ErrorPageContext(
            title: rendered.type.title, status: Int(rendered.status.code), detail: rendered.detail,
            problemURI: rendered.type.uri, requestID: request.requestID)
        do {
            let response = try await request.view.render("errors/error", context).encodeResponse(for: request)
            response.status = rendered.status
            return response
        } catch {
            // The views themselves may be what failed: fall back to plain text that still names the request id.
            let response = Response(status: rendered.status)
            response.body = .init(
                string: "\(rendered.type.title)\n\n\(rendered.detail)\n\nRequest id: \(request.requestID)\n")
            response.headers.contentType = .plainText
            return response
        }
    }
}

struct ErrorPageContext: Encodable {
    var title: String
    var status: Int
    var detail: String
    var problemURI: String
    var requestID: String
}

/// What the client is told about an error.
struct RenderedError {
    var status: HTTPResponseStatus
    var type: ProblemType
    var detail: String
    var headers: HTTPHeaders = [:]

    init(_ error: any Error) {
        switch error {
        case let error as any LoamError:
            status = error.status
            type = error.problemType
            detail = error.detail
            headers = error.headers
        case let error as any AbortError:
            status = error.status
            type = ProblemType.forStatus(error.status)
            // Vapor's own reasons for 4xx (a decoding failure, a missing parameter) help the caller and
            // reveal nothing; a 5xx reason could, so it is replaced.
            detail = error.status.code < 500 ? error.reason : type.explanation
            headers = error.headers
        case is DecodingError:
            status = .badRequest
            type = .badRequest
            detail = "The request body could not be decoded."
        default:
            status = .internalServerError
            type = .internalError
            detail = ProblemType.internalError.explanation
        }
        if status.code >= 500 && type == .internalError {
            detail = ProblemType.internalError.explanation
        }
    }
}
