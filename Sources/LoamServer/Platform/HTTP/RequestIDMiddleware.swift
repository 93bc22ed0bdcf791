import Vapor

/// Gives every request an id: the caller's `X-Request-ID` when it is a plausible id, else a new one.
///
/// The id goes into the request's logger metadata (so every log line of the request carries it),
/// onto the response as `X-Request-ID`, and onto error pages so a user can quote it to support.
struct RequestIDMiddleware: AsyncMiddleware {
    static let headerName = "X-Request-ID"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = Self.acceptedID(request.headers.first(name: Self.headerName)) ?? UUID().uuidString.lowercased()
        request.storage[RequestIDKey.self] = id
        // Derive from the application's logger so the configured (redacting) handler is used.
        var logger = request.application.logger
        logger[metadataKey: "request_id"] = .string(id)
        request.logger = logger
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.headerName, value: id)
        return response
    }

    /// Accepts only short ids of letters, digits, `-`, `_` and `.`: anything else (an address,
    /// a header injection, a megabyte of text) is replaced rather than logged.
    static func acceptedID(_ raw: String?) -> String? {
        guard let raw, (1...128).contains(raw.utf8.count) else { return nil }
        let allowed = raw.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        return allowed ? raw : nil
    }
}

struct RequestIDKey: StorageKey {
    typealias Value = String
}

extension Request {
    /// This request's id, as sent back in `X-Request-ID`.
    var requestID: String { storage[RequestIDKey.self] ?? id }
}
