import Vapor

/// One log line per request: method, route pattern, status and duration.
///
/// It logs the matched route's pattern (`GET /invitations/:token`), never the raw path or query,
/// because paths and queries can carry tokens and addresses.
struct RequestLoggingMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = request.route.map { $0.path.map(\.description).joined(separator: "/") }
        request.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(route.map { "/" + $0 } ?? "(unmatched)"),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ])
        return response
    }
}
